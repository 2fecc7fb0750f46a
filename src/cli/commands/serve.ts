import type { Command } from 'commander';
import { pino } from 'pino';
import { buildServer } from '../../api/server.js';
import { UfError } from '../../core/errors.js';
import { waitForStopSignal } from '../../core/signals.js';
import { scheduleIntake } from '../../intake/schedule/index.js';
import { configuredRouterSpecs, startConfiguredProxies } from '../../proxy/in-process.js';
import { openConfiguredStore, resolveConfig, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { parsePort } from '../options.js';

export function registerServe(program: Command, runtime: CliRuntime): void {
  program
    .command('serve')
    .description('run the API server (OpenAPI document at /openapi.json, health at /healthz and /readyz)')
    .option('--host <host>', 'address to listen on (default: server.host in factory.yaml)')
    .option('--port <port>', 'port to listen on (default: server.port in factory.yaml)')
    .option('--no-intake', 'do not run intake on its schedule (intake.schedule, daily by default)')
    .action(
      action(runtime, async (options: { host?: string; port?: string; intake?: boolean }) => {
        const loaded = resolveConfig(program.opts<GlobalOptions>());
        const port = options.port === undefined ? loaded.config.server.port : parsePort(options.port);
        const adminToken = process.env.UF_ADMIN_TOKEN || undefined;
        // Refuse bad router settings (an open admin API beyond loopback) before opening anything.
        const routerSpecs = configuredRouterSpecs(loaded.config, adminToken);
        const store = await openConfiguredStore(loaded);
        const logger = pino({ level: process.env.UF_LOG_LEVEL ?? 'info' });
        const app = await buildServer({ store, config: loaded.config, loaded, logger });
        let address: string;
        let proxies: Awaited<ReturnType<typeof startConfiguredProxies>>;
        try {
          address = await app.listen({ host: options.host ?? loaded.config.server.host, port });
          proxies = await startConfiguredProxies(routerSpecs, logger);
        } catch (error) {
          // A port already taken: nothing may keep the process alive after the error is reported.
          await app.close();
          await store.close();
          if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UfError('usage', `address in use: ${(error as Error).message}`);
          throw error;
        }
        const intake = options.intake === false ? undefined : scheduleIntake(store, loaded, logger);
        logger.info({ address, store: store.location, dialect: store.dialect, nextIntake: intake?.next()?.toISOString() ?? null }, 'upgrade factory serving');
        await waitForStopSignal();
        logger.info({}, 'shutting down');
        intake?.stop();
        await proxies?.close();
        await app.close();
        await store.close();
        return 0;
      }),
    );
}

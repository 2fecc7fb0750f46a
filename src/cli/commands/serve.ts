import type { Command } from 'commander';
import { buildServer } from '../../api/server.js';
import { scheduleIntake } from '../../app/intake-schedule.js';
import { composeRoot, openRoot } from '../../app/root.js';
import { checkConfiguredRouters, startConfiguredRouters } from '../../app/routers.js';
import { UfError } from '../../core/errors.js';
import { waitForStopSignal } from '../../core/signals.js';
import { resolveConfig, type GlobalOptions } from '../context.js';
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
        const parts = composeRoot(loaded);
        // Refuse bad router settings (an open admin API beyond loopback) before opening anything.
        const routers = checkConfiguredRouters(parts);
        const root = await openRoot(parts);
        const { store, logger } = root;
        const app = await buildServer({ store, config: loaded.config, loaded, logger, root });
        let address: string;
        let proxies: Awaited<ReturnType<typeof startConfiguredRouters>>;
        try {
          address = await app.listen({ host: options.host ?? loaded.config.server.host, port });
          proxies = await startConfiguredRouters(root, routers);
        } catch (error) {
          // A port already taken: nothing may keep the process alive after the error is reported.
          await app.close();
          await root.close();
          if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UfError('usage', `address in use: ${(error as Error).message}`);
          throw error;
        }
        const intake = options.intake === false ? undefined : scheduleIntake(root);
        logger.info({ address, store: store.location, dialect: store.dialect, nextIntake: intake?.next()?.toISOString() ?? null }, 'upgrade factory serving');
        await waitForStopSignal();
        logger.info({}, 'shutting down');
        intake?.stop();
        await proxies?.close();
        await app.close();
        await root.close();
        return 0;
      }),
    );
}

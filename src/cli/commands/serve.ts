import type { Command } from 'commander';
import { buildServer, closeServer } from '../../api/server.js';
import { scheduleIntake } from '../../app/intake-schedule.js';
import { composeRoot, openRoot } from '../../app/root.js';
import { checkConfiguredRouters, startConfiguredRouters, trafficRouterLookup } from '../../app/routers.js';
import { createRollouts } from '../../app/rollouts.js';
import { runDeliveryLoop } from '../../app/notifications.js';
import { runCompatWorker, settleFinishedRuns } from '../../app/compat.js';
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
    .option('--no-rollouts', 'do not drive rollouts (another uf serve on the same store does)')
    .option('--no-notifications', 'do not deliver webhook notifications (another uf serve, or uf notify deliver, does)')
    .option('--workers <n>', 'compatibility checks run at once in this process (default: 2 on SQLite, 0 on PostgreSQL, where uf worker processes run them)')
    .action(
      action(runtime, async (options: { host?: string; port?: string; intake?: boolean; rollouts?: boolean; notifications?: boolean; workers?: string }) => {
        const loaded = resolveConfig(program.opts<GlobalOptions>());
        const port = options.port === undefined ? loaded.config.server.port : parsePort(options.port);
        const requestedWorkers = options.workers === undefined ? undefined : Number(options.workers);
        if (requestedWorkers !== undefined && (!Number.isInteger(requestedWorkers) || requestedWorkers < 0 || requestedWorkers > 64)) {
          throw new UfError('usage', '--workers: expected a whole number from 0 to 64');
        }
        const parts = composeRoot(loaded);
        // Refuse bad router settings (an open admin API beyond loopback) before opening anything.
        const routers = checkConfiguredRouters(parts);
        const root = await openRoot(parts);
        const { store, logger } = root;
        let proxies: Awaited<ReturnType<typeof startConfiguredRouters>>;
        // Rollouts are driven here, through the routers this process starts (looked up when used).
        let lookup = trafficRouterLookup(root, undefined);
        const rollouts = createRollouts(root, { routerFor: (service) => lookup(service) });
        const app = await buildServer({ store, config: loaded.config, loaded, logger, root, rollouts, compat: root });
        let address: string;
        try {
          address = await app.listen({ host: options.host ?? loaded.config.server.host, port });
          proxies = await startConfiguredRouters(root, routers);
          lookup = trafficRouterLookup(root, proxies);
        } catch (error) {
          // A port already taken: nothing may keep the process alive after the error is reported.
          await app.close();
          await root.close();
          if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UfError('usage', `address in use: ${(error as Error).message}`);
          throw error;
        }
        const intake = options.intake === false ? undefined : scheduleIntake(root);
        const stopRollouts = new AbortController();
        const driving = options.rollouts === false ? Promise.resolve() : rollouts.runLoop({ signal: stopRollouts.signal, intervalMs: 1_000 });
        const notifying = options.notifications === false ? Promise.resolve() : runDeliveryLoop(root, stopRollouts.signal);
        // Compatibility checks: in-process on SQLite (one machine); uf worker processes on PostgreSQL.
        const workers = requestedWorkers ?? (store.dialect === 'sqlite' ? 2 : 0);
        const checking = workers === 0 ? Promise.resolve() : settleFinishedRuns(root).then(() => runCompatWorker(root, { signal: stopRollouts.signal, concurrency: workers, label: 'uf-serve' }));
        logger.info({ address, store: store.location, dialect: store.dialect, compatWorkers: workers, nextIntake: intake?.next()?.toISOString() ?? null }, 'upgrade factory serving');
        await waitForStopSignal();
        logger.info({}, 'shutting down');
        intake?.stop();
        stopRollouts.abort();
        await driving;
        await notifying;
        await checking.catch((error: unknown) => logger.error({ err: error }, 'the compatibility worker stopped with an error'));
        await proxies?.close();
        await closeServer(app);
        await root.close();
        return 0;
      }),
    );
}

import type { Command } from 'commander';
import { buildServer } from '../../api/server.js';
import { formatSummary, prepareDemo } from '../../demo/run.js';
import { driveDemoTraffic, formatTraffic, startDemoTraffic } from '../../demo/traffic.js';
import { createToken } from '../../store/repos/tokens.js';
import { action, type CliRuntime } from '../main.js';
import { ensureListenable, parsePort } from '../options.js';
import { printJson } from '../output.js';
import { waitForStopSignal } from '../../core/signals.js';

/** The demo's factory.yaml keeps the default server port. */
const demoPort = 7070;

export function registerDemo(program: Command, runtime: CliRuntime): void {
  program
    .command('demo')
    .description('build the example shop estate, import it and serve it (--once: import, summarise, exit)')
    .option('--once', 'run to the end, print a summary and exit')
    .option('--workspace <dir>', 'keep the workspace (factory.yaml and .uf/factory.db) in this directory')
    .option('--port <port>', 'port for the server (default 7070; 0 picks a free one)')
    .option('--json', 'print the summary as JSON (with --once)')
    .action(
      action(runtime, async (options: { once?: boolean; workspace?: string; port?: string; json?: boolean }) => {
        const port = options.port === undefined ? undefined : parsePort(options.port);
        if (!options.once) await ensureListenable('127.0.0.1', port ?? demoPort);
        const { summary, root } = await prepareDemo({
          ...(options.workspace ? { workspace: options.workspace } : {}),
          progress: options.json ? () => {} : (line) => runtime.output.err(line),
        });
        const traffic = await startDemoTraffic('checkout');
        try {
          const trafficSummary = await driveDemoTraffic(traffic);
          // Unreadable inputs mean the estate was not built properly (2); a broken chain or failed requests are problems found (1).
          const exitCode = summary.problems.length > 0 ? 2 : summary.log.verified && trafficSummary.failedForClients === 0 ? 0 : 1;
          if (options.once) {
            if (options.json) printJson(runtime.output, { ...summary, traffic: trafficSummary });
            else runtime.output.out([formatSummary(summary), '', ...formatTraffic(trafficSummary)].join('\n'));
            return exitCode;
          }
          const { store, loaded, logger } = root;
          const { secret } = await createToken(store, { name: 'demo', role: 'viewer', actor: 'user:demo' });
          const app = await buildServer({ store, config: loaded.config, loaded, logger, root });
          let address: string;
          try {
            address = await app.listen({ host: '127.0.0.1', port: port ?? demoPort });
          } catch (error) {
            await app.close();
            throw error;
          }
          runtime.output.out([formatSummary(summary), '', ...formatTraffic(trafficSummary)].join('\n'));
          runtime.output.out(
            [
              '',
              `Serving ${address}  (Ctrl-C to stop)`,
              `  checkout through the built-in router: ${traffic.proxy.url}  (admin ${traffic.proxy.adminUrl}: /stats, /metrics, PUT /weights)`,
              `  OpenAPI document: ${address}/openapi.json`,
              `  curl -H 'Authorization: Bearer ${secret}' ${address}/api/v1/services`,
              `  curl -H 'Authorization: Bearer ${secret}' ${address}/api/v1/inventory/drift`,
            ].join('\n'),
          );
          await waitForStopSignal();
          await app.close();
          return exitCode;
        } finally {
          await traffic.close();
          await root.close();
        }
      }),
    );
}

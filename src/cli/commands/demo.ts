import type { Command } from 'commander';
import { buildServer } from '../../api/server.js';
import { formatSummary, prepareDemo } from '../../demo/run.js';
import { formatRollouts } from '../../demo/format-rollouts.js';
import { formatDemoReadouts, writeDemoReadouts } from '../../demo/readouts.js';
import { runDemoRollouts } from '../../demo/rollouts.js';
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
    .description('build the example shop estate, import it, run three rollouts through the built-in routers and serve it (--once: exit after the rollouts)')
    .option('--once', 'run to the end, print a summary, each rollout’s decisions, the readouts written and DORA, and exit (0 when the three rollouts ended as expected)')
    .option('--workspace <dir>', 'keep the workspace (factory.yaml and .uf/factory.db) in this directory')
    .option('--port <port>', 'port for the server (default 7070; 0 picks a free one)')
    .option('--json', 'print the summary as JSON (with --once)')
    .action(
      action(runtime, async (options: { once?: boolean; workspace?: string; port?: string; json?: boolean }) => {
        const port = options.port === undefined ? undefined : parsePort(options.port);
        if (!options.once) await ensureListenable('127.0.0.1', port ?? demoPort);
        const say = options.json ? () => {} : (line: string) => runtime.output.err(line);
        const prepared = await prepareDemo({ ...(options.workspace ? { workspace: options.workspace } : {}), progress: say });
        const { summary } = prepared;
        const stage = await runDemoRollouts({ root: prepared.root, configFile: summary.config, database: summary.database, upgrades: summary.upgrades, say });
        try {
          const rollouts = stage.summary;
          say('readouts: the promoted upgrade and the quarter, and DORA for the demo history');
          const done = rollouts.rollouts.filter((r) => r.upgradeState === 'done').map((r) => r.upgradeId);
          const readouts = await writeDemoReadouts(stage.root, summary.workspace, done);
          // Unreadable inputs mean the estate was not built properly (2); a broken chain or a rollout not ending as expected are problems found (1).
          const exitCode = summary.problems.length > 0 ? 2 : summary.log.verified && rollouts.ok && done.length > 0 ? 0 : 1;
          const text = [formatSummary(summary), '', ...formatRollouts(rollouts), ...formatDemoReadouts(readouts)].join('\n');
          if (options.once) {
            if (options.json) printJson(runtime.output, { ...summary, rollouts, readouts });
            else runtime.output.out(text);
            return exitCode;
          }
          const { store, loaded, logger } = stage.root;
          const { secret } = await createToken(store, { name: 'demo', role: 'viewer', actor: 'user:demo' });
          const app = await buildServer({ store, config: loaded.config, loaded, logger, root: stage.root, rollouts: stage.rollouts, compat: stage.root });
          let address: string;
          try {
            address = await app.listen({ host: '127.0.0.1', port: port ?? demoPort });
          } catch (error) {
            await app.close();
            throw error;
          }
          runtime.output.out(text);
          runtime.output.out(
            [
              '',
              `Serving ${address}  (Ctrl-C to stop)`,
              ...stage.routers.map((r) => `  ${r.service} through its built-in router: ${r.url}  (admin ${r.adminUrl ?? '-'}: /stats, /metrics)`),
              `  KPIs per service and variant: ${stage.analyticsUrl}/kpi/<service>/<variant>?seconds=60`,
              `  OpenAPI document: ${address}/openapi.json`,
              `  curl -H 'Authorization: Bearer ${secret}' ${address}/api/v1/services`,
              `  curl -H 'Authorization: Bearer ${secret}' ${address}/api/v1/inventory/drift`,
              `  curl -H 'Authorization: Bearer ${secret}' ${address}/api/v1/rollouts`,
            ].join('\n'),
          );
          // Rollouts started or commanded through the API (a retry, a new one) are driven while serving.
          const stopRollouts = new AbortController();
          const driving = stage.rollouts.runLoop({ signal: stopRollouts.signal, intervalMs: 1_000 });
          await waitForStopSignal();
          stopRollouts.abort();
          await driving;
          await app.close();
          return exitCode;
        } finally {
          await stage.close();
        }
      }),
    );
}

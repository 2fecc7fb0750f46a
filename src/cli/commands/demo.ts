import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { buildServer, closeServer } from '../../api/server.js';
import { formatSummary, prepareDemo } from '../../demo/run.js';
import { formatRollouts } from '../../demo/format-rollouts.js';
import { formatDemoReadouts, writeDemoReadouts } from '../../demo/readouts.js';
import { runDemoRollouts, type DemoReady } from '../../demo/rollouts.js';
import { approver, initiator } from '../../demo/drive.js';
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
    .description('build the example shop estate, import it, serve the API and dashboard, run three rollouts live through the built-in routers and keep serving (--once: exit after the rollouts)')
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
        let app: FastifyInstance | undefined;
        let address = '';
        // Served before the rollouts start, so the dashboard shows them moving.
        const serve = async ({ root, rollouts, routers, analyticsUrl }: DemoReady) => {
          const { store, loaded, logger } = root;
          const persona = (role: 'viewer' | 'approver' | 'operator', user?: string) => createToken(store, { name: `demo-${role}`, role, actor: 'user:demo', ...(user ? { user } : {}) });
          const viewer = await persona('viewer');
          const approverToken = await persona('approver', approver.replace(/^user:/, ''));
          const operatorToken = await persona('operator', initiator.replace(/^user:/, ''));
          app = await buildServer({ store, config: loaded.config, loaded, logger, root, rollouts, compat: root });
          try {
            address = await app.listen({ host: '127.0.0.1', port: port ?? demoPort });
          } catch (error) {
            await app.close();
            app = undefined;
            throw error;
          }
          runtime.output.out(
            [
              `Dashboard: ${address}/  (sign in with one of these tokens; the rollouts start now and move live)`,
              `  viewer:                         ${viewer.secret}`,
              `  approver (${approver}):   ${approverToken.secret}`,
              `  operator (${initiator}): ${operatorToken.secret}`,
              ...routers.map((r) => `  ${r.service} through its built-in router: ${r.url}  (admin ${r.adminUrl ?? '-'}: /stats, /metrics)`),
              `  KPIs per service and variant: ${analyticsUrl}/kpi/<service>/<variant>?seconds=60`,
              `  API: ${address}/api/v1 (OpenAPI document: ${address}/openapi.json), e.g.`,
              `  curl -H 'Authorization: Bearer ${viewer.secret}' ${address}/api/v1/rollouts`,
              '',
            ].join('\n'),
          );
        };
        const stage = await runDemoRollouts({
          root: prepared.root,
          configFile: summary.config,
          database: summary.database,
          upgrades: summary.upgrades,
          say,
          ...(options.once ? {} : { onReady: serve }),
        });
        try {
          const rollouts = stage.summary;
          say('readouts: the promoted upgrade and the quarter, and DORA for the demo history');
          const done = rollouts.rollouts.filter((r) => r.upgradeState === 'done').map((r) => r.upgradeId);
          const readouts = await writeDemoReadouts(stage.root, summary.workspace, done);
          // Unreadable inputs mean the estate was not built properly (2); a broken chain or a rollout not ending as expected are problems found (1).
          const exitCode = summary.problems.length > 0 ? 2 : summary.log.verified && rollouts.ok && done.length > 0 ? 0 : 1;
          const text = [formatSummary(summary), '', ...formatRollouts(rollouts), ...formatDemoReadouts(readouts)].join('\n');
          if (options.once || !app) {
            if (options.json) printJson(runtime.output, { ...summary, rollouts, readouts });
            else runtime.output.out(text);
            return exitCode;
          }
          runtime.output.out(text);
          runtime.output.out(['', `Serving ${address}/ (the dashboard) and ${address}/api/v1  (Ctrl-C to stop)`].join('\n'));
          // Rollouts started or commanded through the API (a retry, a new one) are driven while serving.
          const stopRollouts = new AbortController();
          const driving = stage.rollouts.runLoop({ signal: stopRollouts.signal, intervalMs: 1_000 });
          await waitForStopSignal();
          stopRollouts.abort();
          await driving;
          return exitCode;
        } finally {
          if (app) await closeServer(app);
          await stage.close();
        }
      }),
    );
}

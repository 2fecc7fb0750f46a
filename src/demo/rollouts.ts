import { readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { compatMatrix } from '../app/compat.js';
import { pino } from 'pino';
import { parse, stringify } from 'yaml';
import { buildRoot, type AppRoot } from '../app/root.js';
import { createRollouts, type RolloutView, type Rollouts } from '../app/rollouts.js';
import { loadConfig } from '../config/load.js';
import { UfError } from '../core/errors.js';
import type { RouterHost } from '../proxy/worker/host.js';
import { startSampleService, type SampleService } from '../proxy/sample-service.js';
import type { SampleDeployer } from '../rollout/deployers/sample/index.js';
import type { RolloutState } from '../rollout/engine/index.js';
import { verifyLog } from '../store/repos/operation-log.js';
import { getUpgrade } from '../store/repos/upgrades.js';
import { startDemoAnalytics, type DemoAnalytics } from './analytics.js';
import { approver, initiator, runRollouts, type Chosen } from './drive.js';
import type { TargetCounts } from './load.js';
import { currentBehaviour, demoRatePerSecond, demoRolloutSections, freePorts, pickScenario, type ScenarioPick, type ScenarioRole } from './scenario.js';
import { describeMeasurements, judgeOutcome } from './outcomes.js';
import { matrixSubjects, pickBlocked, showBlockedUpgrade, writeDemoCompat, type DemoBlockedUpgrade } from './compat.js';
import { operator } from './gates.js';

/** One decision of a rollout as the operation log holds it. */
export interface DemoDecision {
  at: string;
  actor: string;
  text: string;
}

/** One of the demo's rollouts: its case, how it ended, and its decisions. */
export interface DemoRollout {
  role: ScenarioRole;
  service: string;
  component: string;
  upgradeId: string;
  from: string;
  to: string;
  premise: string;
  rolloutId: string;
  phase: string;
  /** The weight of the step the rollout ended at (or is at now). */
  weight: number;
  upgradeState: string;
  /** What the demo expects of this rollout, and whether it happened. */
  expected: string;
  met: boolean;
  outcome: string;
  /** The canary's figures in its last analysis (and the reference's, where a check compared them). */
  lastAnalysis: { weight: number; outcome: string; figures: string } | null;
  decisions: DemoDecision[];
}

/** The rollout stage's report, printed by `uf demo` (and as `rollouts` in its JSON). */
export interface DemoRolloutsSummary {
  /** False when the workspace's rollouts ran in an earlier `uf demo` and are only reported. */
  ran: boolean;
  seconds: number;
  ratePerSecond: number;
  load: Record<string, TargetCounts> | null;
  /** The initiator's attempt to approve their own rollout, as the engine answered it. */
  selfApproval: { status: string; text: string } | null;
  rollouts: DemoRollout[];
  /** Each rolled-out upgrade's compatibility matrix (all cells passed, so its canary could start). */
  matrices: { component: string; service: string; verdict: string; cells: number; consumers: number }[];
  /** The upgrade whose matrix has red cells: its canary gate stays closed. */
  blocked: DemoBlockedUpgrade;
  log: { entries: number; verified: boolean };
  /** Every rollout ended as expected, the red matrix blocked its gate, and the log verifies. */
  ok: boolean;
}

/** What keeps running after the stage (for `uf demo` to serve): stop it with `close`. */
export interface DemoRolloutStage {
  summary: DemoRolloutsSummary;
  root: AppRoot;
  /** The rollouts, driven through the demo's routers (for `uf demo` to serve and keep driving). */
  rollouts: Rollouts;
  routers: { service: string; url: string; adminUrl: string | undefined }[];
  analyticsUrl: string;
  close(): Promise<void>;
}

/** What the stage needs from `prepareDemo`: its root (closed by the stage), files and triaged upgrades. */
export interface DemoRolloutInput {
  root: AppRoot;
  configFile: string;
  database: string;
  upgrades: { id: string; component: string; from: string[]; to: string; state: string; services: string[] }[];
  say: (line: string) => void;
  /**
   * Called once the routers are up and before the rollouts start, with what a server needs to show
   * them (`uf demo` serves the API and the dashboard from here, so the rollouts move live).
   */
  onReady?: (ready: DemoReady) => Promise<void>;
}

/** What runs while the demo's rollouts do: the re-opened root, the rollouts and their routers. */
export interface DemoReady {
  root: AppRoot;
  rollouts: Rollouts;
  routers: DemoRolloutStage['routers'];
  analyticsUrl: string;
}

/**
 * The rollout stage of the demo. Picks the three upgrades, adds routers, deployers and the
 * rollout policy to factory.yaml, and re-opens the root on it (closing `input.root`). Then it runs
 * the three rollouts with the load on, approving waiting gates as the approver persona (after one
 * refused self-approval by the initiator), until each has ended or the deadline passed. A
 * workspace whose upgrades were rolled out by an earlier run is reported, not run again.
 */
export async function runDemoRollouts(input: DemoRolloutInput): Promise<DemoRolloutStage> {
  const { say } = input;
  const picks = pickScenario(input.upgrades);
  const blockedPick = pickBlocked(input.upgrades);
  const services = picks.map((p) => p.service);
  const ports = await freePorts(services);
  const stables = new Map<string, SampleService>();
  let root: AppRoot | undefined;
  let analytics: DemoAnalytics | undefined;
  let host: RouterHost | undefined;
  let inputClosed = false;
  const closeAll = async () => {
    if (!inputClosed) await input.root.close();
    await host?.close();
    if (root) await Promise.all(services.map((s) => root!.adapters.deployerFor(s)?.close()));
    await analytics?.close();
    await Promise.all([...stables.values()].map((s) => s.close()));
    await root?.close();
  };
  try {
    for (const pick of picks) stables.set(pick.service, await startSampleService({ version: pick.fromVersion, port: ports[pick.service]!.stable, ...currentBehaviour }));
    analytics = await startDemoAnalytics((service, variant) => {
      if (!root) return undefined;
      const deployer = root.adapters.deployerFor(service) as SampleDeployer | undefined;
      if (variant !== 'stable') return deployer?.running(variant);
      return deployer?.running('stable') ?? stables.get(service);
    });
    const base = parse(readFileSync(input.configFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(
      input.configFile,
      '# Written by `uf demo`: the example shop estate, with the routers, deployers and rollout policy of its three rollouts.\n' +
        '# Explore it with `uf --config <this file> ...`.\n' +
        stringify(
          { ...base, ...demoRolloutSections(picks, ports, analytics.url), compat: writeDemoCompat(dirname(input.configFile), matrixSubjects(picks, blockedPick)) },
          { aliasDuplicateObjects: false },
        ),
    );
    inputClosed = true;
    await input.root.close();
    // The demo's routers listen on loopback only: their admin APIs need no token, whatever UF_ADMIN_TOKEN says.
    const env = { ...process.env, UF_ADMIN_TOKEN: undefined };
    root = await buildRoot(loadConfig(input.configFile), { store: { sqlitePath: input.database }, clock: input.root.clock, logger: pino({ level: 'warn' }), env });
    const opened = root;
    host = await opened.adapters.routers.create(opened.adapters.routers.configured(opened.loaded.config), opened.logger);
    const traffic = opened.adapters.routers.traffic(opened.loaded.config, host, opened.logger);
    const rollouts = createRollouts(opened, { routerFor: (service) => traffic.find((t) => t.service.toLowerCase() === service.toLowerCase())?.router });
    const routers = (host?.routers ?? []).map((r) => ({ service: r.service, url: r.url, adminUrl: r.adminUrl }));

    await input.onReady?.({ root: opened, rollouts, routers, analyticsUrl: analytics.url });
    const choice = await chooseUpgrades(rollouts, picks);
    say(`compat: the matrix of ${blockedPick.component} ${blockedPick.to} on ${blockedPick.services.join(', ')}`);
    const blocked = await showBlockedUpgrade(opened, blockedPick.id, operator);
    const started = performance.now();
    let load: Record<string, TargetCounts> | null = null;
    let views: RolloutView[];
    if ('earlier' in choice) {
      say('rollouts: this workspace ran them before; reporting those');
      views = choice.earlier;
    } else {
      const run = await runRollouts(opened, rollouts, choice.chosen, routers, say);
      views = run.views;
      load = run.load;
    }
    const summary = await summarize(opened, rollouts, picks, views, { ran: !('earlier' in choice), seconds: (performance.now() - started) / 1000, load, blocked });
    return { summary, root: opened, rollouts, routers, analyticsUrl: analytics.url, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * Each case's rollout from an earlier run (its latest), when every case has one; else the
 * triaged upgrade each case rolls out now. Intake makes a new upgrade for a component whose
 * upgrade was rolled back (the vulnerable version still runs), so a workspace may hold both.
 */
async function chooseUpgrades(rollouts: Rollouts, picks: readonly ScenarioPick[]): Promise<{ earlier: RolloutView[] } | { chosen: Chosen[] }> {
  const all = await rollouts.list();
  const latest = (upgradeId: string) => all.filter((r) => r.upgradeId === upgradeId).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1);
  const earlier = picks.map((pick) => pick.candidates.map((c) => latest(c.id)).filter((r) => r !== undefined).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1));
  if (earlier.every((r) => r !== undefined)) return { earlier: earlier as RolloutView[] };
  return {
    chosen: picks.map((pick) => {
      const fresh = pick.candidates.find((c) => c.state === 'triaged' && !latest(c.id));
      if (!fresh) throw new UfError('conflict', `the demo has no triaged upgrade of ${pick.component} on ${pick.service} left to roll out in this workspace: give a new one`, { record: pick.component });
      return { ...pick, upgradeId: fresh.id };
    }),
  };
}

async function summarize(
  root: AppRoot,
  rollouts: Rollouts,
  picks: readonly ScenarioPick[],
  views: readonly RolloutView[],
  run: { ran: boolean; seconds: number; load: Record<string, TargetCounts> | null; blocked: DemoBlockedUpgrade },
): Promise<DemoRolloutsSummary> {
  const result: DemoRollout[] = [];
  const matrices: DemoRolloutsSummary['matrices'] = [];
  let selfApproval: DemoRolloutsSummary['selfApproval'] = null;
  for (const [i, pick] of picks.entries()) {
    const view = await rollouts.get(views[i]!.id, { withDecisions: true });
    const state: RolloutState = view.state;
    const decisions = (view.decisions ?? []).map((e) => ({ at: e.at, actor: e.actor, text: e.reason }));
    const refused = decisions.find((d) => d.actor === initiator && / refused: /.test(d.text));
    if (refused && !selfApproval) selfApproval = { status: 'refused', text: refused.text };
    const judged = judgeOutcome(pick.role, state, approver);
    const last = state.verdicts.filter((v) => v.attempt === state.attempt).at(-1);
    const upgrade = await getUpgrade(root.store.db, view.upgradeId);
    const matrix = await compatMatrix(root, view.upgradeId);
    matrices.push({ component: pick.component, service: pick.service, verdict: matrix.verdict, cells: Object.values(matrix.cells).reduce((n, row) => n + Object.keys(row).length, 0), consumers: matrix.rows.length });
    result.push({
      role: pick.role,
      service: pick.service,
      component: pick.component,
      upgradeId: view.upgradeId,
      from: pick.fromVersion,
      to: pick.toVersion,
      premise: pick.premise,
      rolloutId: view.id,
      phase: state.phase,
      weight: state.steps[state.step]?.weight ?? 0,
      upgradeState: upgrade?.state ?? 'unknown',
      ...judged,
      lastAnalysis: last ? { weight: last.weight, outcome: last.verdict.outcome, figures: describeMeasurements(last.verdict) } : null,
      decisions,
    });
  }
  const report = await verifyLog(root.store.db);
  const ok = result.every((r) => r.met) && matrices.every((m) => m.verdict === 'pass') && run.blocked.met && selfApproval !== null && report.ok;
  return { ...run, ratePerSecond: demoRatePerSecond, selfApproval, rollouts: result, matrices, log: { entries: report.entries, verified: report.ok }, ok };
}

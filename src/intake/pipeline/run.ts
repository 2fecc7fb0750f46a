import { appendLog } from '../../store/repos/operation-log.js';
import { buildServiceGraph } from '../../catalog/service-map/index.js';
import type { LoadedConfig } from '../../config/load.js';
import { systemClock, type Clock } from '../../core/clock.js';
import { isUfError } from '../../core/errors.js';
import type { Store } from '../../store/open.js';
import { getAdvisories, listAdvisoryIds, loadEpss as storedEpss, loadKev as storedKev, loadSourceCounts, recordSourceCounts, replaceEpss, replaceKev, upsertAdvisories } from '../store/advisories.js';
import { listEntities } from '../../store/repos/catalog.js';
import { countOpenFindings, syncFindings, type FindingChanges, type FindingInput } from '../store/findings.js';
import { lastIntakeRun, recordIntakeRun, storedInputMarks } from '../store/intake-runs.js';
import { withLease, type Lease } from '../../store/repos/leases.js';
import { applyTransition, listUpgradeHeads } from '../../store/repos/upgrades.js';
import type { GatePolicy } from '../../core/upgrade/index.js';
import { planCandidates } from '../matching/candidates.js';
import { buildAdvisoryIndex } from '../matching/index-advisories.js';
import type { Advisory } from '../osv/types.js';
import { aliasGroups } from './aliases.js';
import { fingerprintPath, hash } from './fingerprint.js';
import { intakeActor, planUpgrade, type PlanOutcome } from './plan.js';
import { groupCandidates } from './release-groups.js';
import { readSources, resolveSpec, type IntakeSources, type SourceProblem } from './read-sources.js';
import { sourceKey, type SourceReport } from './source-health.js';
import { fixedAdvisories } from './risk-input.js';
import { packageKey, packageLabel } from '../../ecosystems/names.js';
import { matchStoredInventory } from './match-store.js';
import { endOfLifeFlags, type EolFlag } from './end-of-life.js';
import { logExpiredAcceptances } from '../findings/expiry.js';

export interface IntakeOptions {
  /** The readers for the configured inputs, from the composition root. */
  sources: IntakeSources;
  actor?: string;
  /** The time source: the run's instant (when `now` is absent) and the intake lease's times. The system clock by default. */
  clock?: Clock;
  /** The instant this run works at (dates, expiries, scores); read from `clock` when absent. */
  now?: Date;
  /** Run even when no input changed since the last run. */
  force?: boolean;
  onProgress?: (label: string, done: number, total?: number) => void;
  /**
   * How long to wait while another intake run (another process or machine) holds the `intake`
   * lease; 0 fails at once with a `conflict` naming the holder. Default: 10 minutes.
   */
  leaseWaitMs?: number;
  /** Called once when another run holds the lease and this one starts waiting. */
  onLeaseWait?: (heldBy: Lease) => void;
}

/** Intake runs one at a time per store: a second run waits for the first, then usually finds nothing changed. */
export const defaultIntakeLeaseWaitMs = 10 * 60_000;

export interface IntakeSummary {
  status: 'unchanged' | 'completed';
  /** `invalid`: records rejected, or kept with a problem (a version their ecosystem cannot read). */
  advisories: { read: number; new: number; updated: number; withdrawn: number; stored: number; invalid: number };
  /** KEV entries and EPSS scores stored by this run; absent when the source is not configured or failed. */
  kev?: number;
  epss?: number;
  problems: SourceProblem[];
  /** Each configured advisory, KEV and EPSS source: valid and invalid entries, and whether it was accepted. */
  sources: SourceReport[];
  /** Sources unreachable or refused by the health check (`intake.sourceHealth`): what they stored before is kept. */
  failedSources: SourceReport[];
  /**
   * The result was built from partly unreadable input: a problem was reported or a source failed.
   * `uf intake run` exits 2 then. An unchanged re-run repeats the last run's problems and verdict.
   */
  degraded: boolean;
  findings: FindingChanges;
  upgrades: PlanOutcome & { closed: string[] };
  unfixed: { component: string; advisories: string[]; explanation: string }[];
  /** Versions in use past or near their end of support (`risk.thresholds.eolHorizonDays`). */
  endOfLife: EolFlag[];
  unsupportedEcosystems: { ecosystem: string; components: number }[];
  durationMs: number;
}

/**
 * Intake: read advisories and enrichment, match every inventory, store findings, and turn each
 * affected component into one triaged upgrade with its risk assessment. Idempotent: a re-run on
 * unchanged input stops after the fingerprint check and writes nothing.
 */
export async function runIntake(store: Store, loaded: LoadedConfig, options: IntakeOptions): Promise<IntakeSummary> {
  const lease = {
    waitMs: options.leaseWaitMs ?? defaultIntakeLeaseWaitMs,
    clock: options.clock ?? systemClock,
    ...(options.onLeaseWait ? { onWait: options.onLeaseWait } : {}),
  };
  return withLease(store, 'intake', lease, () => runIntakeHoldingLease(store, loaded, options));
}

async function runIntakeHoldingLease(store: Store, loaded: LoadedConfig, options: IntakeOptions): Promise<IntakeSummary> {
  const started = performance.now();
  const now = options.now ?? (options.clock ?? systemClock).now();
  const actor = options.actor ?? intakeActor;
  const progress = options.onProgress ?? (() => {});
  const { config, baseDir } = loaded;
  const empty: IntakeSummary = {
    status: 'unchanged',
    advisories: { read: 0, new: 0, updated: 0, withdrawn: 0, stored: 0, invalid: 0 },
    problems: [],
    sources: [],
    failedSources: [],
    degraded: false,
    findings: { opened: 0, reopened: 0, changed: 0, retired: 0, open: 0 },
    upgrades: { created: [], rescoped: [], rescored: [], superseded: [], unchanged: [], inProgress: [], closed: [] },
    unfixed: [],
    endOfLife: [],
    unsupportedEcosystems: [],
    durationMs: 0,
  };

  // Before the fingerprint check: an acceptance lapses with time, not with the inputs.
  await logExpiredAcceptances(store, now, actor);
  const inputs = sourceFingerprint(loaded, now);
  const fingerprint = hash(inputs + (await storedInputMarks(store.db)));
  const last = await lastIntakeRun(store.db);
  if (!options.force && last?.fingerprint === fingerprint) {
    // Nothing changed, but the open findings still stand (report their count, not zero), and so
    // does the last run's verdict: a feed that is still broken keeps the run degraded.
    const open = await countOpenFindings(store.db);
    return { ...empty, ...lastVerdict(last.summary), findings: { ...empty.findings, open }, durationMs: performance.now() - started };
  }

  const read = await readSources(options.sources, config.intake, baseDir, progress, config.limits, await loadSourceCounts(store.db));
  const summary: IntakeSummary = { ...empty, status: 'completed', problems: read.problems, sources: read.sources, failedSources: read.sources.filter((s) => s.status !== 'ok') };
  summary.advisories.read = read.advisories.size;
  summary.advisories.invalid = read.invalidAdvisories;

  progress('storing advisories', 0);
  await store.db.transaction().execute(async (trx) => {
    const upsert = await upsertAdvisories(trx, [...read.advisories.values()], now);
    summary.advisories.new = upsert.inserted.length;
    summary.advisories.updated = upsert.updated.length;
    summary.advisories.withdrawn = upsert.withdrawn.length;
    // Only sources that passed the health check are here: a failed one leaves its stored data alone.
    if (read.kev) summary.kev = await replaceKev(trx, read.kev.entries.values());
    if (read.epss) summary.epss = await replaceEpss(trx, read.epss.scores, read.epss.scoreDate);
    const accepted = read.sources.filter((s) => s.status === 'ok' && s.kind === 'advisories');
    await recordSourceCounts(trx, accepted.map((s) => ({ key: sourceKey(s.kind, s.source), records: s.valid })), now);
  });

  // Match against every stored advisory, not only those read now: a source that could not be
  // reached this time must not retire the findings it raised before.
  progress('indexing advisories', 0);
  const advisories = await allAdvisories(store, read);
  summary.advisories.stored = advisories.length;
  const groups = aliasGroups(advisories);
  const index = buildAdvisoryIndex(advisories);
  progress('matching', 0);
  const report = await matchStoredInventory(store.db, index);
  summary.unsupportedEcosystems = report.unsupported;
  for (const u of report.unreadable) {
    summary.problems.push({ source: 'inventory', message: `${packageLabel(u.ecosystem, u.name)} ${u.version}: not a valid ${u.ecosystem} version, so ${u.advisories} advisories for this package can only match it by exact listed version` });
  }
  progress('matching', report.components, report.components);

  const findings: FindingInput[] = report.matches.map((m) => ({
    advisoryId: groups.get(m.advisory.id)?.canonical ?? m.advisory.id,
    service: m.component.service,
    environment: m.component.environment,
    purl: m.component.purl,
    ecosystem: m.component.ecosystem,
    name: m.component.name,
    version: m.component.version,
    direct: m.component.direct,
    fixedIn: m.fixedIn,
  }));
  summary.findings = await store.db.transaction().execute((trx) => syncFindings(trx, findings, now));

  const entities = await listEntities(store.db);
  const graph = buildServiceGraph(entities);
  const byName = new Map(entities.filter((e) => e.kind === 'Component').map((e) => [e.name, e]));
  const kev = await storedKev(store.db);
  const epss = await storedEpss(store.db, [...new Set(advisories.flatMap((a) => [a.id, ...a.aliases]))]);
  const known = (ecosystem: string, name: string) => {
    const notes = read.releaseNotes.get(packageKey(ecosystem, name));
    return notes ? notes.releases.filter((r) => !r.yanked).map((r) => r.version) : [];
  };
  const candidates = planCandidates(report.matches, index, known, { allowMajor: config.intake.allowMajor }, {
    canonical: (id) => groups.get(id)?.canonical ?? id,
    onFailure: (component, error) => summary.problems.push({ source: `planning ${component}`, message: planningFailure(error) }),
  });
  const matchesByPackage = new Map<string, typeof report.matches>();
  for (const m of report.matches) {
    const key = packageKey(m.component.ecosystem, m.component.name);
    const list = matchesByPackage.get(key);
    if (list) list.push(m);
    else matchesByPackage.set(key, [m]);
  }
  let done = 0;
  const wanted = new Set<string>();
  for (const candidate of candidates) {
    wanted.add(candidate.purl);
    if (!candidate.minimalFix) {
      summary.unfixed.push({ component: packageLabel(candidate.ecosystem, candidate.name), advisories: candidate.advisories, explanation: candidate.explanation });
    }
  }
  // Packages released together (a release train, one advisory naming several packages of one project) plan as one upgrade.
  const units = groupCandidates(candidates.filter((c) => c.minimalFix !== undefined), {
    index,
    known,
    target: config.intake.target,
    configured: config.intake.releaseGroups,
    canonical: (id) => groups.get(id)?.canonical ?? id,
  });
  for (const unit of units) {
    progress('planning upgrades', ++done, units.length);
    wanted.add(unit.key);
    const matched = unit.members.flatMap((member) => matchesByPackage.get(packageKey(member.candidate.ecosystem, member.candidate.name)) ?? []);
    const services = [...new Set(matched.map((m) => m.component.service))].map((s) => byName.get(s)).filter((s) => s !== undefined);
    const fixed = fixedAdvisories(new Map(matched.map((m) => [m.advisory.id, m.advisory])).values(), (id) => groups.get(id), { kev, epss });
    try {
      await planUpgrade({ store, config, graph, read, now, problems: summary.problems }, unit, services, fixed, summary.upgrades);
    } catch (error) {
      // One upgrade that cannot be planned (a bug, a pathological record) is reported and the
      // others still go through; its transaction rolled back, so nothing of it is half-written.
      summary.problems.push({ source: `planning ${packageLabel(unit.ecosystem, unit.name)}`, message: planningFailure(error) });
    }
  }
  summary.endOfLife = await endOfLifeFlags(store.db, read, config.risk.thresholds.eolHorizonDays, now);
  summary.upgrades.closed = await closeStale(store, wanted, config.policy, now);

  const finishedAt = new Date(now.getTime() + (performance.now() - started));
  summary.degraded = summary.problems.length > 0 || summary.failedSources.length > 0;
  summary.durationMs = performance.now() - started;
  // Computed outside the transaction: on SQLite the transaction holds the only connection.
  const after = hash(inputs + (await storedInputMarks(store.db)));
  await store.db.transaction().execute(async (trx) => {
    await recordIntakeRun(trx, { startedAt: now, finishedAt, actor, fingerprint: after, summary: storedSummary(summary) });
    await appendLog(trx, [{ actor, action: 'intake.run', subject: 'intake', reason: describe(summary), evidenceRef: null }], now);
  });
  return summary;
}

async function allAdvisories(store: Store, read: Awaited<ReturnType<typeof readSources>>): Promise<Advisory[]> {
  const result: Advisory[] = [...read.advisories.values()].map((r) => r.advisory);
  const stale = (await listAdvisoryIds(store.db)).filter((id) => !read.advisories.has(id));
  for (const advisory of (await getAdvisories(store.db, stale)).values()) result.push(advisory);
  return result;
}

/** Problems a stored run summary keeps; the rest are counted (a feed of 100,000 bad records must not make a 50 MB row). */
const maxStoredProblems = 1000;

function storedSummary(summary: IntakeSummary): string {
  if (summary.problems.length <= maxStoredProblems) return JSON.stringify(summary);
  return JSON.stringify({ ...summary, problems: summary.problems.slice(0, maxStoredProblems), problemsOmitted: summary.problems.length - maxStoredProblems });
}

/** An unchanged re-run tells what the last run found wrong, so a broken source is not forgotten (and the exit code stays 2). */
function lastVerdict(stored: string): Pick<IntakeSummary, 'problems' | 'sources' | 'failedSources' | 'degraded'> {
  const last = JSON.parse(stored) as Partial<IntakeSummary>;
  const problems = last.problems ?? [];
  const failedSources = last.failedSources ?? [];
  return { problems, sources: last.sources ?? [], failedSources, degraded: last.degraded ?? (problems.length > 0 || failedSources.length > 0) };
}

function planningFailure(error: unknown): string {
  if (isUfError(error)) return error.describe();
  return `could not plan the upgrade: ${error instanceof Error ? error.message : String(error)}`;
}

/** Upgrades intake opened whose component no longer has any finding: closed, with the reason. */
async function closeStale(store: Store, wanted: Set<string>, policy: GatePolicy, now: Date): Promise<string[]> {
  const open = await listUpgradeHeads(store.db, { createdBy: intakeActor, states: ['intake', 'triaged', 'compat'] });
  const closed: string[] = [];
  for (const u of open.filter((u) => !wanted.has(u.purl))) {
    await applyTransition(store, u.id, u.version, { event: 'reject', actor: intakeActor, reason: 'no open finding remains for this component', at: now.toISOString() }, policy);
    closed.push(u.id);
  }
  return closed;
}

/** What the configured inputs hold now; read once per run (sources do not change during it). */
function sourceFingerprint(loaded: LoadedConfig, now: Date): string {
  const { intake, risk, environments } = loaded.config;
  const paths = [...intake.advisories, ...(intake.kev ? [intake.kev] : []), ...(intake.epss ? [intake.epss] : []), ...intake.releaseNotes.map((r) => r.file), ...intake.endOfLife.map((e) => e.file)];
  const parts = paths.map((p) => {
    const spec = resolveSpec(loaded.baseDir, p);
    // URLs are always re-checked (a conditional request is cheap); their run is never skipped.
    return /^https?:/i.test(spec) ? `${spec}:${now.toISOString()}` : fingerprintPath(spec);
  });
  // End-of-life urgency depends on today's date.
  const day = intake.endOfLife.length > 0 ? now.toISOString().slice(0, 10) : '';
  return JSON.stringify([parts, intake, risk, environments, day]);
}

function describe(s: IntakeSummary): string {
  return [
    `${s.advisories.read} advisories read (${s.advisories.new} new, ${s.advisories.updated} updated, ${s.advisories.withdrawn} withdrawn)`,
    `findings: ${s.findings.open} open (${s.findings.opened} new, ${s.findings.retired} retired)`,
    `upgrades: ${s.upgrades.created.length} created, ${s.upgrades.rescored.length} rescored, ${s.upgrades.superseded.length} superseded, ${s.upgrades.closed.length} closed`,
    `${s.unfixed.length} components without a known fix`,
    `${s.endOfLife.filter((e) => e.status === 'past').length} versions past end of support, ${s.endOfLife.filter((e) => e.status === 'near').length} near it`,
    `${s.problems.length} source problems`,
    ...(s.failedSources.length > 0 ? [`failed sources, stored data kept: ${s.failedSources.map((f) => `${f.source} (${f.reason ?? f.status})`).join('; ')}`] : []),
  ].join('; ');
}

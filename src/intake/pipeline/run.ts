import { appendLog } from '../../audit/log.js';
import { buildServiceGraph } from '../../catalog/service-map/index.js';
import type { LoadedConfig } from '../../config/load.js';
import { newId } from '../../core/ids.js';
import type { Store } from '../../store/open.js';
import { loadEpss as storedEpss, loadKev as storedKev, replaceEpss, replaceKev, upsertAdvisories } from '../../store/repos/advisories.js';
import { listEntities } from '../../store/repos/catalog.js';
import { syncFindings, type FindingChanges, type FindingInput } from '../../store/repos/findings.js';
import { applyTransition } from '../../store/repos/upgrades.js';
import type { GatePolicy } from '../../core/upgrade/index.js';
import { planCandidates } from '../matching/candidates.js';
import { buildAdvisoryIndex } from '../matching/index-advisories.js';
import type { Advisory } from '../osv/types.js';
import { aliasGroups } from './aliases.js';
import { fingerprintPath, fingerprintStore, hash } from './fingerprint.js';
import { intakeActor, planUpgrade, type PlanOutcome } from './plan.js';
import { groupCandidates } from './release-groups.js';
import { readSources, resolveSpec, type SourceProblem } from './read-sources.js';
import { fixedAdvisory } from './risk-input.js';
import { matchStoredInventory } from './match-store.js';
import { endOfLifeFlags, type EolFlag } from './end-of-life.js';

export interface IntakeOptions {
  actor?: string;
  now?: Date;
  /** Run even when no input changed since the last run. */
  force?: boolean;
  onProgress?: (label: string, done: number, total?: number) => void;
}

export interface IntakeSummary {
  status: 'unchanged' | 'completed';
  advisories: { read: number; new: number; updated: number; withdrawn: number; stored: number };
  kev?: number;
  epss?: number;
  problems: SourceProblem[];
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
export async function runIntake(store: Store, loaded: LoadedConfig, options: IntakeOptions = {}): Promise<IntakeSummary> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const actor = options.actor ?? intakeActor;
  const progress = options.onProgress ?? (() => {});
  const { config, baseDir } = loaded;
  const empty: IntakeSummary = {
    status: 'unchanged',
    advisories: { read: 0, new: 0, updated: 0, withdrawn: 0, stored: 0 },
    problems: [],
    findings: { opened: 0, reopened: 0, changed: 0, retired: 0, open: 0 },
    upgrades: { created: [], rescoped: [], rescored: [], superseded: [], unchanged: [], inProgress: [], closed: [] },
    unfixed: [],
    endOfLife: [],
    unsupportedEcosystems: [],
    durationMs: 0,
  };

  const inputs = sourceFingerprint(loaded, now);
  const fingerprint = hash(inputs + (await fingerprintStore(store.db)));
  const last = await store.db.selectFrom('intake_runs').select('fingerprint').orderBy('finished_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  if (!options.force && last?.fingerprint === fingerprint) return { ...empty, durationMs: performance.now() - started };

  const read = await readSources(config.intake, baseDir, progress);
  const summary: IntakeSummary = { ...empty, status: 'completed', problems: read.problems };
  summary.advisories.read = read.advisories.size;

  progress('storing advisories', 0);
  await store.db.transaction().execute(async (trx) => {
    const upsert = await upsertAdvisories(trx, [...read.advisories.values()], now);
    summary.advisories.new = upsert.inserted.length;
    summary.advisories.updated = upsert.updated.length;
    summary.advisories.withdrawn = upsert.withdrawn.length;
    if (read.kev) summary.kev = await replaceKev(trx, read.kev.entries.values());
    if (read.epss) summary.epss = await replaceEpss(trx, read.epss.scores, read.epss.scoreDate);
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
    const notes = read.releaseNotes.get(`${ecosystem}\u0000${name}`);
    return notes ? notes.releases.filter((r) => !r.yanked).map((r) => r.version) : [];
  };
  const candidates = planCandidates(report.matches, index, known, { allowMajor: config.intake.allowMajor });
  const matchesByPackage = new Map<string, typeof report.matches>();
  for (const m of report.matches) {
    const key = `${m.component.ecosystem}\u0000${m.component.name}`;
    matchesByPackage.set(key, [...(matchesByPackage.get(key) ?? []), m]);
  }
  let done = 0;
  const wanted = new Set<string>();
  for (const candidate of candidates) {
    wanted.add(candidate.purl);
    if (!candidate.minimalFix) {
      summary.unfixed.push({ component: `${candidate.ecosystem}:${candidate.name}`, advisories: candidate.advisories, explanation: candidate.explanation });
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
    const matched = unit.members.flatMap((member) => matchesByPackage.get(`${member.candidate.ecosystem}\u0000${member.candidate.name}`) ?? []);
    const services = [...new Set(matched.map((m) => m.component.service))].map((s) => byName.get(s)).filter((s) => s !== undefined);
    const fixed = [...new Map(matched.map((m) => [m.advisory.id, m.advisory])).values()].map((a) =>
      fixedAdvisory(a, (groups.get(a.id)?.aliases ?? a.aliases).filter((x) => x !== a.id), { kev, epss }),
    );
    await planUpgrade({ store, config, graph, read, now, problems: summary.problems }, unit, services, fixed, summary.upgrades);
  }
  summary.endOfLife = await endOfLifeFlags(store.db, read, config.risk.thresholds.eolHorizonDays, now);
  summary.upgrades.closed = await closeStale(store, wanted, config.policy, now);

  const finishedAt = new Date(now.getTime() + (performance.now() - started));
  summary.durationMs = performance.now() - started;
  // Computed outside the transaction: on SQLite the transaction holds the only connection.
  const after = hash(inputs + (await fingerprintStore(store.db)));
  await store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('intake_runs')
      .values({ id: newId('run'), started_at: now.toISOString(), finished_at: finishedAt.toISOString(), actor, fingerprint: after, summary: JSON.stringify(summary) })
      .execute();
    await appendLog(trx, store.dialect, [{ actor, action: 'intake.run', subject: 'intake', reason: describe(summary), evidenceRef: null }], now);
  });
  return summary;
}

async function allAdvisories(store: Store, read: Awaited<ReturnType<typeof readSources>>): Promise<Advisory[]> {
  const result: Advisory[] = [...read.advisories.values()].map((r) => r.advisory);
  const stale = (await store.db.selectFrom('advisories').select('id').execute()).map((r) => r.id).filter((id) => !read.advisories.has(id));
  for (let i = 0; i < stale.length; i += 500) {
    const rows = await store.db.selectFrom('advisories').select('body').where('id', 'in', stale.slice(i, i + 500)).execute();
    for (const row of rows) result.push(JSON.parse(row.body) as Advisory);
  }
  return result;
}

/** Upgrades intake opened whose component no longer has any finding: closed, with the reason. */
async function closeStale(store: Store, wanted: Set<string>, policy: GatePolicy, now: Date): Promise<string[]> {
  const open = await store.db
    .selectFrom('upgrades')
    .select(['id', 'purl', 'version'])
    .where('created_by', '=', intakeActor)
    .where('state', 'in', ['intake', 'triaged', 'compat'])
    .execute();
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
  ].join('; ');
}

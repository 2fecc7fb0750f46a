import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { verifyLog } from '../store/repos/operation-log.js';
import { pino } from 'pino';
import { importCatalogFiles, importInventoryFiles, type FileOutcome } from '../app/import-files.js';
import { intakeParts, runIntake, type IntakeSummary } from '../app/intake.js';
import { buildRoot, type AppRoot } from '../app/root.js';
import { listScoredUpgrades } from '../app/upgrade-view.js';
import { buildServiceGraph } from '../catalog/service-map/index.js';
import { loadConfig } from '../config/load.js';
import { systemClock, type Clock } from '../core/clock.js';
import { UfError } from '../core/errors.js';
import type { Store } from '../store/open.js';
import { listEntities } from '../store/repos/catalog.js';
import { inventoryDrift, listComponents } from '../store/repos/inventory.js';
import { demoDataDir, loadEstate } from './estate.js';

export interface DemoOptions {
  workspace?: string;
  /** The demo's clock (a fixed one makes scores and dates repeatable); the system clock by default. */
  clock?: Clock;
  /** Called with progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
}

export interface DemoSummary {
  workspace: string;
  config: string;
  database: string;
  services: number;
  entities: Record<string, number>;
  components: Record<string, number>;
  drift: { service: string; component: string; versions: Record<string, string[]> }[];
  blastRadius: { service: string; tier: string | null; transitiveDependents: number; dependents: string[] }[];
  criticalPaths: Record<string, string[]>;
  log: { entries: number; verified: boolean };
  intake: { status: string; advisories: number; findings: number; unfixed: string[] };
  upgrades: { id: string; component: string; from: string[]; to: string; state: string; changeClass: string; score: number | null; decision: string | null; services: string[] }[];
  problems: string[];
}

const actor = 'user:demo';

/**
 * Builds the example estate in a workspace and imports it. The caller decides whether to serve it,
 * and closes the returned root.
 */
export async function prepareDemo(options: DemoOptions): Promise<{ summary: DemoSummary; root: AppRoot; configFile: string }> {
  const say = options.progress ?? (() => {});
  const workspace = claimWorkspace(resolve(options.workspace ?? mkdtempSync(join(tmpdir(), 'uf-demo-'))));
  const estate = loadEstate();
  for (const part of ['catalog', 'inventories', 'advisories', 'kev', 'release-notes', 'licenses', 'PROVENANCE.md']) {
    const from = join(demoDataDir, part);
    if (existsSync(from)) cpSync(from, join(workspace, part), { recursive: true });
  }
  const configFile = join(workspace, 'factory.yaml');
  const environments = [...new Set(estate.services.flatMap((s) => Object.keys(s.inventories)))].sort(byPromotionOrder);
  writeFileSync(
    configFile,
    '# Written by `uf demo`: the example shop estate. Explore it with `uf --config <this file> ...`.\n' +
      stringify({
        version: 1,
        name: 'demo-shop',
        store: { path: '.uf/factory.db' },
        server: { host: '127.0.0.1', port: 7070 },
        environments,
        catalog: estate.catalog,
        inventories: estate.services.flatMap((s) => Object.entries(s.inventories).map(([environment, file]) => ({ service: s.name, environment, file }))),
        intake: estate.intake,
      }),
  );
  const loaded = loadConfig(configFile);
  // The demo always uses its own SQLite file, even when UF_DATABASE_URL points elsewhere.
  const database = join(workspace, loaded.config.store.path);
  const clock = options.clock ?? systemClock;
  const root = await buildRoot(loaded, { store: { sqlitePath: database }, clock, logger: pino({ level: 'warn' }) });
  const { store, events, adapters } = root;
  try {
    const problems: string[] = [];
    say(`workspace ${workspace}`);
    const catalogOutcomes = await importCatalogFiles(store, loaded.config.catalog.map((f) => join(workspace, f)), actor, (f) => say(`catalog ${f}`), { events, clock });
    problems.push(...describeFailures(catalogOutcomes));
    const jobs = loaded.config.inventories.map((i) => ({ ...i, file: join(workspace, i.file) }));
    let done = 0;
    const inventoryOutcomes = await importInventoryFiles(store, jobs, { environments, actor, readInventory: adapters.inventoryImporters, events, clock }, (job) =>
      say(`inventory ${++done}/${jobs.length} ${job.service}/${job.environment}`),
    );
    problems.push(...describeFailures(inventoryOutcomes));
    say('intake: reading advisories, matching, scoring');
    const intake = await runIntake(store, loaded, { ...intakeParts(root), actor, clock });
    problems.push(...intake.problems.map((p) => `${p.source}: ${p.message}`));
    const summary = await summarize(store, { workspace, configFile, database, environments, problems, intake });
    return { summary, root, configFile };
  } catch (error) {
    await root.close();
    throw error;
  }
}

/** Marks a directory the demo made, so that a later run may overwrite it and nothing else. */
export const demoMarker = '.uf-demo';

/**
 * The demo writes factory.yaml, .uf/ and its data into the workspace: it takes a new or empty
 * directory, or one an earlier demo made, and refuses any other (it would overwrite a user's files).
 */
function claimWorkspace(workspace: string): string {
  if (existsSync(workspace)) {
    let entries: string[];
    try {
      entries = readdirSync(workspace);
    } catch {
      throw new UfError('usage', `demo workspace ${workspace} is not a directory`);
    }
    if (entries.length > 0 && !entries.includes(demoMarker)) {
      throw new UfError('usage', `demo workspace ${workspace} is not empty and was not made by uf demo; give a new or empty directory`);
    }
  }
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, demoMarker), 'This directory was made by `uf demo`; a later `uf demo --workspace` may overwrite it.\n');
  return workspace;
}

function describeFailures(outcomes: FileOutcome<unknown>[]): string[] {
  return outcomes.flatMap((o) => o.errors.map((e) => e.describe()));
}

function byPromotionOrder(a: string, b: string): number {
  const order = ['development', 'staging', 'production'];
  return (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b);
}

async function summarize(
  store: Store,
  context: { workspace: string; configFile: string; database: string; environments: string[]; problems: string[]; intake: IntakeSummary },
): Promise<DemoSummary> {
  const upgrades = [];
  for (const u of await listScoredUpgrades(store)) {
    if (u.state === 'superseded' || u.state === 'rejected') continue;
    upgrades.push({
      id: u.id,
      component: `${u.ecosystem}:${u.name}`,
      from: u.fromVersions,
      to: u.targetVersion,
      state: u.state,
      changeClass: u.changeClass,
      score: u.score,
      decision: u.decision,
      services: u.services,
    });
  }
  upgrades.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.component.localeCompare(b.component));
  const entities = await listEntities(store.db);
  const graph = buildServiceGraph(entities);
  const services = entities.filter((e) => e.kind === 'Component');
  const byKind: Record<string, number> = {};
  for (const e of entities) byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
  const components: Record<string, number> = {};
  for (const c of await listComponents(store.db)) components[c.environment] = (components[c.environment] ?? 0) + 1;
  const drift = await inventoryDrift(store.db, { environments: context.environments });
  const blastRadius = services
    .map((s) => {
      const dependents = graph.transitiveDependents(s.ref).filter((d) => d.entity?.kind === 'Component');
      return { service: s.name, tier: s.factory.tier ?? null, transitiveDependents: dependents.length, dependents: dependents.map((d) => d.entity!.name) };
    })
    .sort((a, b) => b.transitiveDependents - a.transitiveDependents || a.service.localeCompare(b.service));
  const criticalPaths: Record<string, string[]> = {};
  for (const s of services) for (const path of s.factory.criticalPaths) (criticalPaths[path] ??= []).push(s.name);
  const report = await verifyLog(store.db);
  if (!report.ok) context.problems.push(`operation log: ${report.firstBroken?.detail}`);
  return {
    workspace: context.workspace,
    config: context.configFile,
    database: context.database,
    services: services.length,
    entities: byKind,
    components,
    drift: drift.map((d) => ({ service: d.service, component: `${d.ecosystem}:${d.name}`, versions: d.versions })),
    blastRadius,
    criticalPaths,
    log: { entries: report.entries, verified: report.ok },
    intake: {
      status: context.intake.status,
      advisories: context.intake.advisories.stored,
      findings: context.intake.findings.open,
      unfixed: context.intake.unfixed.map((f) => `${f.component} (${f.advisories.join(', ')})`),
    },
    upgrades,
    problems: context.problems,
  };
}

export function formatSummary(summary: DemoSummary): string {
  const envs = Object.entries(summary.components).map(([env, n]) => `${n} in ${env}`).join(', ');
  const lines = [
    `Upgrade Factory demo: an online shop with ${summary.services} services`,
    `  service map: ${Object.entries(summary.entities).map(([k, n]) => `${n} ${k}`).join(', ')}`,
    `  inventories: ${envs} (components, from real SBOMs and lockfiles)`,
    `  drift between environments: ${summary.drift.length} components`,
    ...summary.drift.slice(0, 5).map((d) => `    ${d.service} ${d.component}: ${Object.entries(d.versions).map(([e, v]) => `${e} ${v.join(',') || '-'}`).join(', ')}`),
    `  widest blast radius:`,
    ...summary.blastRadius.slice(0, 4).map((b) => `    ${b.service} (${b.tier ?? 'no tier'}): ${b.transitiveDependents} dependent services`),
    `  critical paths: ${Object.entries(summary.criticalPaths).map(([p, s]) => `${p}: ${s.join(', ')}`).join('; ')}`,
    `  operation log: ${summary.log.entries} entries, chain ${summary.log.verified ? 'verified' : 'BROKEN'}`,
    `  intake: ${summary.intake.advisories} advisories, ${summary.intake.findings} open findings, ${summary.upgrades.length} triaged upgrades (one per component):`,
    ...summary.upgrades.map(
      (u) => `    ${String(u.score ?? '-').padStart(3)} ${(u.decision ?? '-').padEnd(6)} ${u.changeClass.padEnd(9)} ${u.component} ${u.from.join(',')} -> ${u.to}  (${u.services.join(', ')})`,
    ),
    ...summary.intake.unfixed.map((f) => `    no known fix: ${f}`),
    '',
    `Workspace: ${summary.workspace}`,
    `Look around:`,
    `  uf --config ${summary.config} catalog list`,
    `  uf --config ${summary.config} catalog dependents payments`,
    `  uf --config ${summary.config} inventory drift`,
    `  uf --config ${summary.config} upgrades list`,
    `  uf --config ${summary.config} upgrades show ${summary.upgrades[0]?.id ?? '<id>'} --json`,
    `  uf --config ${summary.config} log verify`,
  ];
  if (summary.problems.length > 0) lines.push('', 'Problems:', ...summary.problems.map((p) => `  ${p}`));
  return lines.join('\n');
}

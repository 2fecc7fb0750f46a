import type { Command } from 'commander';
import type { CliRuntime } from '../runtime.js';

/**
 * Every top-level command, as `uf --help` lists it. A command's code is imported only when it
 * runs (or its own help is asked for), so `uf --help` and `uf --version` load none of it.
 * Adding a command is one entry here plus its `register*` function.
 */
export interface CommandEntry {
  name: string;
  /** Arguments as commander spells them, shown in `uf --help`: `[file]`, `<vector>`. */
  args?: string;
  description: string;
  load: () => Promise<(program: Command, runtime: CliRuntime) => void>;
}

export const commandEntries: readonly CommandEntry[] = [
  { name: 'init', args: '[file]', description: 'write a commented starter factory.yaml', load: async () => (await import('./init.js')).registerInit },
  { name: 'serve', description: 'run the API server (OpenAPI document at /openapi.json, health at /healthz and /readyz)', load: async () => (await import('./serve.js')).registerServe },
  { name: 'catalog', description: 'the service map, from Backstage catalog-info.yaml files', load: async () => (await import('./catalog.js')).registerCatalog },
  { name: 'inventory', description: 'what each service runs, per environment (CycloneDX, SPDX, package-lock)', load: async () => (await import('./inventory.js')).registerInventory },
  { name: 'upgrades', description: 'upgrades and where they are on the path', load: async () => (await import('./upgrades.js')).registerUpgrades },
  { name: 'log', description: 'the operation log: hash chain, Merkle proofs, signed checkpoints, exports', load: async () => (await import('./log.js')).registerLog },
  { name: 'token', description: 'API bearer tokens: create, list, rotate, revoke', load: async () => (await import('./token.js')).registerToken },
  { name: 'user', description: 'people tokens speak for, and their teams', load: async () => (await import('./user.js')).registerUser },
  { name: 'team', description: 'teams: the owners in the service map, with their services and members', load: async () => (await import('./user.js')).registerTeam },
  { name: 'whoami', description: 'who the CLI acts as: the token\'s person through UF_SERVER, or UF_ACTOR on the local store', load: async () => (await import('./user.js')).registerWhoami },
  { name: 'drill', description: "rollback drills: a canary through the service's router (or a built-in one stood up for it), rolled back, timed and verified", load: async () => (await import('./drill.js')).registerDrill },
  { name: 'change', description: 'change records: ITSM fields, approvals, the change board, post-hoc reviews', load: async () => (await import('./change.js')).registerChange },
  { name: 'notify', description: 'webhook notifications on gate events: deliver pending ones, read the delivery log', load: async () => (await import('./notify.js')).registerNotify },
  { name: 'maintenance', description: 'customer-facing maintenance notes (Markdown, HTML) and their Atom feed', load: async () => (await import('./maintenance.js')).registerMaintenance },
  { name: 'demo', description: 'build the example shop estate, import it, serve the API and dashboard, run three rollouts live through the built-in routers and keep serving (--once: exit after the rollouts)', load: async () => (await import('./demo.js')).registerDemo },
  { name: 'versions', description: 'version ordering per ecosystem', load: async () => (await import('./versions.js')).registerVersions },
  { name: 'cvss', args: '<vector>', description: 'CVSS v3.0, v3.1 or v4.0 vector: version, base score, severity', load: async () => (await import('./cvss.js')).registerCvss },
  { name: 'scan', description: 'match one inventory against OSV advisories, without a database; exit 1 when something is affected, 2 when some input could not be read', load: async () => (await import('./scan.js')).registerScan },
  { name: 'intake', description: 'advisory and release-note intake, matching and triage', load: async () => (await import('./intake.js')).registerIntake },
  { name: 'findings', description: 'findings per service, with risk acceptances and VEX statements applied', load: async () => (await import('./findings.js')).registerFindings },
  { name: 'vex', description: 'VEX statements (CycloneDX VEX, OpenVEX) applied to findings', load: async () => (await import('./vex.js')).registerVex },
  { name: 'proxy', description: 'the built-in canary router alone: weighted, sticky split between a stable and a canary upstream', load: async () => (await import('./proxy.js')).registerProxy },
  { name: 'rollout', description: 'progressive rollouts: start, status, approvals and commands', load: async () => (await import('./rollout.js')).registerRollout },
  { name: 'analysis', description: 'canary analysis: run the statistical judge on given samples', load: async () => (await import('./analysis.js')).registerAnalysis },
  { name: 'api-diff', args: '<old> <new>', description: 'compare two OpenAPI 3.0/3.1 documents; exit 1 when a change breaks clients, 2 for an invalid document', load: async () => (await import('./api-diff.js')).registerApiDiff },
  { name: 'compat', description: 'the compatibility matrix: consumers × checks, gating the canary', load: async () => (await import('./compat.js')).registerCompat },
  { name: 'worker', description: 'take compatibility checks from the store’s queue and run them (any number, on any machine sharing the store)', load: async () => (await import('./worker.js')).registerWorker },
  { name: 'windows', description: 'change windows, freezes and conflicts', load: async () => (await import('./windows.js')).registerWindows },
  { name: 'incidents', description: 'incidents from files and PagerDuty/Opsgenie webhooks, linked to the changes that preceded them', load: async () => (await import('./incidents.js')).registerIncidents },
  { name: 'dora', description: "DORA's five delivery metrics (frequency, lead time, change fail rate, recovery time, rework rate) per period, service or team", load: async () => (await import('./dora.js')).registerDora },
  { name: 'review', description: 'post-implementation reviews: what went well, what did not, actions that feed the next cycle', load: async () => (await import('./review.js')).registerReview },
  { name: 'readout', args: '[upgrade]', description: 'the executive readout of an upgrade or a period: what changed, why now, what risk reduced, what business metric improved', load: async () => (await import('./readout.js')).registerReadout },
  { name: 'risk', description: 'the risk score: calibration against outcomes', load: async () => (await import('./risk.js')).registerRisk },
  { name: 'probe', description: 'journey probes: synthetic transactions against a service, its canary or its stable', load: async () => (await import('./probe.js')).registerProbe },
  { name: 'migration', description: 'PostgreSQL migration safety for canary rollouts', load: async () => (await import('./migration.js')).registerMigration },
];

/**
 * The command that argv runs: the first word that is not a global option (`uf help X` runs X's
 * help). Only the global options that take a value need knowing here.
 */
export function selectedCommand(args: readonly string[]): string | undefined {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-c' || arg === '--config') i++;
    else if (arg === '--') break;
    else if (!arg.startsWith('-')) words.push(arg);
    if (words.length === 2 || (words.length === 1 && words[0] !== 'help')) break;
  }
  return words[0] === 'help' ? words[1] : words[0];
}

import type { Clock } from '../../core/clock.js';
import type { Upgrade } from '../../core/upgrade/index.js';
import type { CheckRunner, Consumer, TargetComponent } from '../types.js';
import { createCommandCheckRunner } from './command/index.js';
import { createConstraintsRunner, discoverExtensions as discoverInManifests } from './constraints/index.js';
import { createLoadProbeCheckRunner } from './load-probe/index.js';
import { migrationLintRunner } from './migration-lint/runner.js';
import { createOpenapiDiffRunner } from './openapi-diff/runner.js';
import { createSchemaDriftRunner } from './schema-drift/index.js';

/**
 * The check runners of the compatibility matrix, one per check kind; add a kind here and nowhere
 * else. Each passes `check-runner.contract.ts`.
 */
export interface CheckRunnerDeps {
  /** uf's environment: PATH and HOME for commands, and the secrets the config names (`databaseUrlEnv`, `passEnv`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Today, for OpenAPI sunset dates. */
  clock: Clock;
}

export function createCheckRunners(deps: CheckRunnerDeps): Record<string, CheckRunner> {
  const runners: CheckRunner<never>[] = [
    createConstraintsRunner(),
    createCommandCheckRunner({ env: deps.env }),
    createLoadProbeCheckRunner(),
    createOpenapiDiffRunner(deps.clock),
    migrationLintRunner,
    createSchemaDriftRunner({ env: deps.env }),
  ];
  return Object.fromEntries(runners.map((runner) => [runner.kind, runner as CheckRunner]));
}

/** The components an upgrade moves, as checks see them. */
export function upgradeComponents(upgrade: Upgrade): TargetComponent[] {
  return upgrade.members.map((member) => ({ ecosystem: member.ecosystem, name: member.name, fromVersions: member.fromVersions, targetVersion: member.targetVersion }));
}

/**
 * The extensions a service's lockfiles declare that constrain an upgraded component (composer.lock,
 * package-lock.json, Gemfile.lock): each becomes a row of the matrix.
 */
export async function discoverExtensions(service: string, files: string[], components: TargetComponent[]): Promise<{ consumers: Consumer[]; problems: string[] }> {
  const found = await discoverInManifests(service, files, components);
  return { consumers: found.consumers, problems: found.problems };
}

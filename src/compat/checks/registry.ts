import type { Upgrade } from '../../core/upgrade/index.js';
import type { CheckRunner, Consumer, TargetComponent } from '../types.js';

/**
 * The check runners of the compatibility matrix, one per check kind; add a kind here and nowhere
 * else. Each passes `check-runner.contract.ts`.
 */
export interface CheckRunnerDeps {
  /** Where secrets named by the config (`databaseUrlEnv`) are read. */
  env: Readonly<Record<string, string | undefined>>;
}

export function createCheckRunners(_deps: CheckRunnerDeps): Record<string, CheckRunner> {
  return {};
}

/** The components an upgrade moves, as checks see them. */
export function upgradeComponents(upgrade: Upgrade): TargetComponent[] {
  return upgrade.members.map((member) => ({ ecosystem: member.ecosystem, name: member.name, fromVersions: member.fromVersions, targetVersion: member.targetVersion }));
}

/** The extensions a service's lockfiles declare that constrain an upgraded component. */
export function discoverExtensions(_service: string, _files: string[], _components: TargetComponent[]): Promise<{ consumers: Consumer[]; problems: string[] }> {
  return Promise.resolve({ consumers: [], problems: [] });
}

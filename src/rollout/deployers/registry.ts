import { firstIssue } from '../../config/issues.js';
import type { z } from 'zod';
import {
  commandDeployerSettingsSchema,
  deployerKinds,
  sampleDeployerSettingsSchema,
  webhookDeployerSettingsSchema,
  type DeployerKind,
} from '../../config/sections/deployers.js';
import type { Clock } from '../../core/clock.js';
import { UfError } from '../../core/errors.js';
import { formatKeyPath } from '../../core/key-path.js';
import { createCommandDeployer } from './command/index.js';
import { createSampleDeployer } from './sample/index.js';
import type { Deployer } from './types.js';
import { createWebhookDeployer } from './webhook/index.js';

/** What a deployer kind may need besides its settings, handed down by the composition root. */
export interface DeployerDeps {
  clock: Clock;
  /** The process environment (tokens, secrets and allow-listed variables are read from it). */
  env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against: the config file's. */
  baseDir: string;
  /** uf's callback URL for a service's webhook deployer, when the API server's address is known. */
  callbackUrl?: (service: string) => string | undefined;
}

/** One deployer kind: the schema its settings are validated by, and how to build it from them. */
export interface DeployerKindEntry<Schema extends z.ZodType> {
  readonly settings: Schema;
  create(settings: z.output<Schema>, deps: DeployerDeps): Deployer;
}

const kind = <Schema extends z.ZodType>(entry: DeployerKindEntry<Schema>): DeployerKindEntry<Schema> => entry;

/** Every deployer, by the `kind` factory.yaml names it with (`deployers:`). */
export const deployerRegistry = {
  command: kind({
    settings: commandDeployerSettingsSchema,
    create: (settings, deps) => createCommandDeployer(settings, deps),
  }),
  webhook: kind({
    settings: webhookDeployerSettingsSchema,
    create(settings, deps) {
      const callbackUrl = deps.callbackUrl?.(settings.service);
      return createWebhookDeployer(settings, { clock: deps.clock, env: deps.env, ...(callbackUrl === undefined ? {} : { callbackUrl }) });
    },
  }),
  sample: kind({
    settings: sampleDeployerSettingsSchema,
    create: (settings) => createSampleDeployer(settings),
  }),
} satisfies { [Kind in DeployerKind]: DeployerKindEntry<z.ZodType> };

const isKnownKind = (name: string): name is DeployerKind => Object.hasOwn(deployerRegistry, name);

/**
 * Builds the deployer of one `deployers` entry: `kind` picks it, and the rest is validated by that
 * kind's settings schema. An unknown kind is refused with the known ones listed; invalid settings
 * name their key path (relative to the entry).
 */
export function createDeployer(entry: { readonly kind: string } & Record<string, unknown>, deps: DeployerDeps): Deployer {
  const { kind: name, ...settings } = entry;
  if (!isKnownKind(name)) throw new UfError('config_invalid', `unknown deployer kind ${JSON.stringify(name)}: expected ${deployerKinds.join(', ')}`, { path: 'kind', record: name });
  const entryOfKind: DeployerKindEntry<z.ZodType> = deployerRegistry[name] as DeployerKindEntry<z.ZodType>;
  const parsed = entryOfKind.settings.safeParse(settings);
  if (!parsed.success) {
    const { path, message } = firstIssue(parsed.error);
    throw new UfError('config_invalid', `invalid ${name} deployer settings: ${message}`, { path: formatKeyPath(path) });
  }
  return entryOfKind.create(parsed.data, deps);
}

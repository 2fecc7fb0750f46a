import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { limitsFromEnv } from '../core/input/index.js';
import { UfError } from '../core/errors.js';
import { refuseWithServer } from './client.js';
import { checkServiceReferences } from './config-references.js';
import { withRoot, type AppRoot, type StoreAccess } from '../app/root.js';
import type { Store } from '../store/open.js';

export type { StoreAccess } from '../app/root.js';

export interface GlobalOptions {
  config?: string;
}

/**
 * factory.yaml from --config, UF_CONFIG, or ./factory.yaml, with its service references checked.
 * Without one there is no configuration: refused, rather than silently creating an empty store.
 * Input size limits set as UF_LIMIT_<KIND> win over the file's `limits`.
 */
export function resolveConfig(options: GlobalOptions): LoadedConfig {
  const envLimits = limitsFromEnv(process.env);
  const explicit = options.config ?? process.env.UF_CONFIG;
  const file = explicit ?? 'factory.yaml';
  if (explicit === undefined && !existsSync(file)) {
    throw new UfError('usage', `no factory.yaml in ${process.cwd()}: create one with \`uf init\` (or try \`uf demo --workspace DIR\`), or name one with --config FILE or UF_CONFIG`);
  }
  const loaded = loadConfig(file, envLimits);
  const { config: _config, ...fileLimits } = envLimits;
  loaded.config.limits = { ...loaded.config.limits, ...fileLimits };
  checkServiceReferences(loaded);
  return loaded;
}

export function resolvePath(loaded: LoadedConfig, path: string): string {
  return isAbsolute(path) ? path : resolve(loaded.baseDir, path);
}

/** Who is acting, for the operation log: UF_ACTOR, else the operating-system user. */
export function currentActor(): string {
  if (process.env.UF_ACTOR) return process.env.UF_ACTOR;
  try {
    return `user:${userInfo().username}`;
  } catch {
    return 'user:unknown';
  }
}

/** The composition root for the configured factory, closed when `fn` is done. */
export async function withAppRoot<T>(options: GlobalOptions, fn: (root: AppRoot) => Promise<T>, access: StoreAccess = 'write'): Promise<T> {
  refuseWithServer('this command');
  return withRoot(resolveConfig(options), { access }, fn);
}

export async function withStore<T>(options: GlobalOptions, fn: (store: Store, loaded: LoadedConfig) => Promise<T>, access: StoreAccess = 'write'): Promise<T> {
  return withAppRoot(options, (root) => fn(root.store, root.loaded), access);
}

import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { defaultConfig, loadConfig, type LoadedConfig } from '../config/load.js';
import { limitsFromEnv } from '../core/input/index.js';
import { openStore, type Store } from '../store/open.js';

export interface GlobalOptions {
  config?: string;
}

/**
 * factory.yaml from --config, UF_CONFIG, or ./factory.yaml; built-in defaults when none exists.
 * Input size limits set as UF_LIMIT_<KIND> win over the file's `limits`.
 */
export function resolveConfig(options: GlobalOptions): LoadedConfig {
  const envLimits = limitsFromEnv(process.env);
  const explicit = options.config ?? process.env.UF_CONFIG;
  const file = explicit ?? (existsSync('factory.yaml') ? 'factory.yaml' : undefined);
  const loaded = file !== undefined ? loadConfig(file, envLimits) : defaultConfig(process.cwd());
  const { config: _config, ...fileLimits } = envLimits;
  loaded.config.limits = { ...loaded.config.limits, ...fileLimits };
  return loaded;
}

export function resolvePath(loaded: LoadedConfig, path: string): string {
  return isAbsolute(path) ? path : resolve(loaded.baseDir, path);
}

/** UF_DATABASE_URL wins over the config file, so one config can serve laptop and cluster. */
export async function openConfiguredStore(loaded: LoadedConfig): Promise<Store> {
  const url = process.env.UF_DATABASE_URL || loaded.config.store.url;
  return openStore({ url, sqlitePath: resolvePath(loaded, loaded.config.store.path) });
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

export async function withStore<T>(options: GlobalOptions, fn: (store: Store, loaded: LoadedConfig) => Promise<T>): Promise<T> {
  const loaded = resolveConfig(options);
  const store = await openConfiguredStore(loaded);
  try {
    return await fn(store, loaded);
  } finally {
    await store.close();
  }
}

import { isAbsolute, resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import type { LoadedConfig } from '../config/load.js';
import { systemClock, type Clock } from '../core/clock.js';
import { openStore, openStoreForReading, type Store, type StoreOptions } from '../store/open.js';
import { buildAdapters, type Adapters } from './adapters.js';
import { createEventBus, type EventBus } from './events.js';
import { attachNotifications } from './notifications.js';

/**
 * The composition root: everything a front end (CLI, API server, demo) needs, built once from the
 * loaded configuration and handed down. Nothing below `app/` opens a store, picks an adapter or
 * reads the environment on its own.
 */
export interface AppRoot extends RootParts {
  store: Store;
  /** Closes the store. */
  close(): Promise<void>;
}

/** The root before its store is open: built without any I/O. */
export interface RootParts {
  loaded: LoadedConfig;
  clock: Clock;
  logger: Logger;
  /** Post-commit events of the use cases (`app/events.ts`). */
  events: EventBus;
  adapters: Adapters;
  /** Where the store is: UF_DATABASE_URL, the config, or the caller's choice. */
  storeOptions: StoreOptions;
}

/** What a command does with the store: `read` commands also work on a read-only store. */
export type StoreAccess = 'read' | 'write';

/** The settings the root takes from the environment. */
export interface RootEnvironment {
  /** Wins over `store.url` in factory.yaml, so one config can serve laptop and cluster. */
  UF_DATABASE_URL?: string | undefined;
  /** Guards the built-in routers' admin APIs. */
  UF_ADMIN_TOKEN?: string | undefined;
  /** pino level of the default logger; `info` when unset. */
  UF_LOG_LEVEL?: string | undefined;
  /** Tokens and secrets that metric sources and deployers name (`tokenEnv`, `secretEnv`, …). */
  readonly [name: string]: string | undefined;
}

export interface RootOptions {
  access?: StoreAccess;
  /** `process.env` by default. */
  env?: RootEnvironment;
  /** `systemClock` by default; tests pass a fixed or stepping one. */
  clock?: Clock;
  /** A pino logger at UF_LOG_LEVEL (default `info`) by default. */
  logger?: Logger;
  /** Where the store is, instead of UF_DATABASE_URL or the config (the demo keeps its own SQLite file). */
  store?: StoreOptions;
}

export async function buildRoot(loaded: LoadedConfig, options: RootOptions = {}): Promise<AppRoot> {
  return openRoot(composeRoot(loaded, options), options.access);
}

/**
 * Everything but the store. `uf serve` checks its routers with these parts before it opens the
 * store, so a refused setting leaves nothing open.
 */
export function composeRoot(loaded: LoadedConfig, options: Omit<RootOptions, 'access'> = {}): RootParts {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ level: env.UF_LOG_LEVEL ?? 'info' });
  const server = loaded.config.server;
  const publicUrl = (server.publicUrl ?? `http://${server.host.includes(':') ? `[${server.host}]` : server.host}:${server.port}`).replace(/\/+$/, '');
  const adapters = buildAdapters({
    adminToken: env.UF_ADMIN_TOKEN || undefined,
    config: loaded.config,
    clock,
    env,
    baseDir: loaded.baseDir,
    // Where a webhook deployer's CD system answers: the callback route of this server.
    callbackUrl: (service) => `${publicUrl}/api/v1/deployers/${encodeURIComponent(service)}/callback`,
  });
  // A subscriber's failure is its own: logged, never thrown back into the use case that published.
  const events = createEventBus((error, event) => logger.error({ err: error, event: event.type }, 'event subscriber failed'));
  return { loaded, clock, logger, events, adapters, storeOptions: { clock, ...(options.store ?? configuredStoreOptions(loaded, env)) } };
}

export async function openRoot(parts: RootParts, access: StoreAccess = 'write'): Promise<AppRoot> {
  const store = access === 'read' ? await openStoreForReading(parts.storeOptions) : await openStore(parts.storeOptions);
  // Gate events go to the notifications outbox; the writes in flight finish before the store closes.
  const notifications = access === 'write' ? attachNotifications({ ...parts, store }) : undefined;
  return {
    ...parts,
    store,
    close: async () => {
      await notifications?.flush();
      await parts.adapters.close();
      await store.close();
    },
  };
}

/** UF_DATABASE_URL, else `store.url`, else the SQLite file `store.path` relative to factory.yaml. */
export function configuredStoreOptions(loaded: LoadedConfig, env: RootEnvironment): StoreOptions {
  const url = env.UF_DATABASE_URL || loaded.config.store.url;
  const path = loaded.config.store.path;
  return { url, sqlitePath: isAbsolute(path) ? path : resolve(loaded.baseDir, path) };
}

/** Builds the root, runs `fn` with it, and closes it whatever happens. */
export async function withRoot<T>(loaded: LoadedConfig, options: RootOptions, fn: (root: AppRoot) => Promise<T>): Promise<T> {
  const root = await buildRoot(loaded, options);
  try {
    return await fn(root);
  } finally {
    await root.close();
  }
}

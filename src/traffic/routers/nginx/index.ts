import { isDeepStrictEqual } from 'node:util';
import { nginxRouterOptionsSchema } from '../../../config/sections/traffic.js';
import { UfError } from '../../../core/errors.js';
import type { HeaderRoute, TrafficRouter, TrafficWeights, WeightState } from '../../types.js';
import { testNginxConfig } from './control.js';
import { readIncludeFile, writeFileAtomic } from './files.js';
import { readStateLine, renderNginxInclude, routeStateOf } from './render.js';
import type { NginxStateRecord } from './schema.js';
import { reloadAndWait } from './reload.js';
import { fetchRunningState } from './status.js';
import type { NginxRouteState, NginxRouterOptions } from './types.js';
import { assertHeaderRoute, assertTrafficWeights } from '../../validate.js';

export { renderNginxConfig, type NginxConfigInput } from './config.js';
export { renderNginxInclude } from './render.js';
export type { NginxRouteState, NginxRouterOptions, NginxTarget } from './types.js';

const weightStateOf = (record: NginxStateRecord, baselineConfigured: boolean): WeightState => ({
  canary: record.canary,
  stable: record.stable,
  ...(baselineConfigured ? { baseline: record.baseline ?? 0 } : {}),
  ...(record.route ? { headerRoute: record.route } : {}),
});

/**
 * Drives nginx by rendering the include file it owns and reloading gracefully: write the new file
 * atomically, `nginx -t`, and on success signal the master (SIGHUP, as `nginx -s reload` does),
 * then wait until the new generation is in force (see `reloadAndWait`). A file nginx rejects is
 * replaced by the previous one at once, and nginx keeps running the previous configuration.
 */
export function createNginxRouter(input: NginxRouterOptions): TrafficRouter {
  const parsed = nginxRouterOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UfError('config_invalid', `invalid nginx router options: ${issue?.message ?? 'unknown'}`, {
      path: issue?.path.join('.') ?? '',
    });
  }
  const options = parsed.data;
  const { logger } = input;
  const file = options.includeFile;
  const name = `nginx:${file}`;
  const reloadTimeoutMs = options.reloadTimeoutMs ?? 10_000;
  const baselineConfigured = options.baseline !== undefined;
  const running = (): Promise<NginxStateRecord> => fetchRunningState(options.statusListen, options.service);

  /** The state the file says, checked against what uf renders for it: hand edits are reported, not trusted. */
  const readFileState = async (): Promise<{ text: string; record: NginxStateRecord; pristine: boolean }> => {
    const text = await readIncludeFile(file);
    const record = readStateLine(text);
    if (!record || record.service !== options.service) {
      throw new UfError('conflict', `the include file was not written by uf for service ${options.service}`, { file });
    }
    return { text, record, pristine: renderNginxInclude(options, routeStateOf(record)) === text };
  };

  const install = async (previous: string, next: NginxRouteState): Promise<void> => {
    await writeFileAtomic(file, renderNginxInclude(options, next));
    const checked = await testNginxConfig(options.nginx);
    if (!checked.ok) {
      await writeFileAtomic(file, previous);
      logger?.warn({ router: name, reason: checked.message, generation: next.generation }, 'nginx configuration rejected');
      throw new UfError('config_invalid', `nginx rejected the configuration: ${checked.message}`, checked.location);
    }
    try {
      await reloadAndWait(options, next.generation, reloadTimeoutMs);
    } catch (error) {
      // A reload nginx never took: put the file back to what runs, so a restart brings up that state.
      const live = await running().catch(() => undefined);
      if (live?.generation !== next.generation) await writeFileAtomic(file, previous);
      throw error;
    }
  };

  /** Applies a change to the current state; skipped when nginx already runs exactly that state. */
  const apply = async (change: (current: NginxRouteState) => NginxRouteState): Promise<void> => {
    const current = await readFileState();
    const desired = change(routeStateOf(current.record));
    const unchanged =
      current.pristine &&
      desired.canary === current.record.canary &&
      (desired.baseline ?? 0) === (current.record.baseline ?? 0) &&
      isDeepStrictEqual(desired.route ?? null, current.record.route);
    if (unchanged && (await running().catch(() => undefined))?.generation === current.record.generation) return;
    await install(current.text, { ...desired, generation: current.record.generation + 1 });
    logger?.info({ router: name, canary: desired.canary, ...(baselineConfigured ? { baseline: desired.baseline ?? 0 } : {}), route: desired.route?.kind ?? 'none', generation: current.record.generation + 1 }, 'nginx configuration reloaded');
  };

  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = (task: () => Promise<void>): Promise<void> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  /** Canary and baseline travel in one rendered file and one reload: nginx swaps them together. */
  const setWeights = async (weights: TrafficWeights): Promise<void> => {
    const wanted = assertTrafficWeights(weights, baselineConfigured);
    return exclusive(() => apply((current) => ({ ...current, canary: wanted.canary, baseline: wanted.baseline })));
  };

  return {
    name,
    baselineConfigured,
    setWeight: (canary: number) => setWeights({ canary }),
    setWeights,
    async setHeaderRoute(route: HeaderRoute | undefined) {
      if (route) assertHeaderRoute(route);
      return exclusive(() => apply((current) => ({ ...current, route: route ? { ...route } : undefined })));
    },
    async reset() {
      return exclusive(() => apply((current) => ({ ...current, canary: 0, baseline: 0, route: undefined })));
    },
    /**
     * Proves two things: the include file is exactly what uf renders for its state line (no hand
     * edits), and nginx's running configuration answers with that file's generation (the reload
     * finished). When nginx still runs an older generation, that one is in force and is reported.
     */
    async verifyWeight() {
      const [current, live] = await Promise.all([readFileState(), running()]);
      if (live.generation !== current.record.generation) {
        logger?.warn({ router: name, file: current.record.generation, running: live.generation }, 'nginx runs another generation than the include file');
        return weightStateOf(live, baselineConfigured);
      }
      if (!current.pristine) throw new UfError('conflict', 'the include file was edited by hand: its directives no longer match its state line', { file });
      return weightStateOf(current.record, baselineConfigured);
    },
  };
}

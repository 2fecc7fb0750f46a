import cluster, { type Worker } from 'node:cluster';
import http from 'node:http';
import { pino } from 'pino';
import { systemClock } from '../../core/clock.js';
import { UfError, type ErrorCode } from '../../core/errors.js';
import { adminHandler, type AdminControl } from '../admin.js';
import type { WeightsView } from '../admin-schema.js';
import { checkStatsSeconds, createControl, type ResetResult } from '../control.js';
import { assertAdminExposure } from '../options.js';
import { createProxyMeters } from '../prometheus.js';
import { RoutingTable } from '../routing.js';
import type { ProxyOptions } from '../server.js';
import { variants } from '../types.js';
import { parseUpstreamUrl } from '../upstream.js';
import { VariantMeter } from '../variant-meter.js';
import { listen, urlOf } from '../listen.js';
import { routerNodeFlags } from '../heap.js';
import { sharedRouting, type FromRouterWorker, type ToRouterWorker, type WorkerInit, type WorkerSnapshot } from './protocol.js';

export interface ClusterOptions extends Omit<ProxyOptions, 'routing' | 'registry' | 'clock'> {
  /** Router worker processes sharing the listen socket; 1 or more. */
  workers: number;
  /** How long a worker may take to acknowledge a routing change or send its meters; 5 s by default. */
  callTimeoutMs?: number;
}

export interface RunningCluster {
  url: string;
  adminUrl: string | undefined;
  /** What the admin API drives: changes resolve once every worker routes by them. */
  control: AdminControl;
  /** Process ids of the workers now running. */
  workerPids(): number[];
  /** Stops the workers (each lets its requests in flight finish) and the admin API. */
  close(): Promise<void>;
}

interface Slot {
  index: number;
  worker: Worker;
  /** Whether it took its `init` (before, it gets routing changes with it, not one by one). */
  greeted: boolean;
  ready: boolean;
  /** The last routing generation it acknowledged. */
  acked: number;
  /** Its last meters, kept so that a worker that dies leaves its counts behind. */
  last: WorkerSnapshot | undefined;
}

/**
 * `uf proxy --workers N`: N router processes (node:cluster) on one listen socket. The primary
 * holds the weights and the admin API. A change of weights or route goes to every worker, and
 * the admin call answers only once each acknowledged it: no request sent after the answer is
 * routed by the old weights (a worker that does not acknowledge in time is killed and started
 * again with the new ones). Sticky assignment hashes the key with the same seed in every worker,
 * so a user lands on the same version whichever worker takes the connection. /metrics and /stats
 * are the sum over the workers (a dead worker's last counts included). A worker that dies is
 * started again with the weights in force before it listens; the others keep their connections.
 * With N = 1 the single worker is restarted the same way (its own connections are lost).
 */
export async function startProxyCluster(options: ClusterOptions): Promise<RunningCluster> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const callTimeoutMs = options.callTimeoutMs ?? 5_000;
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  if (!(Number.isInteger(options.workers) && options.workers >= 1)) throw new UfError('usage', `a router cluster needs 1 or more workers, not ${options.workers}`);
  assertAdminExposure(options.admin, options.adminToken, 'the admin address');
  const canaryWeight = options.canaryWeight ?? 0;
  const baselineWeight = options.baselineWeight ?? 0;
  const hasBaseline = options.baseline !== undefined;
  if (!(canaryWeight >= 0 && canaryWeight <= 100)) throw new UfError('usage', `the canary weight must be 0..100, not ${canaryWeight}`);
  if (!(baselineWeight >= 0 && baselineWeight + canaryWeight <= 100)) throw new UfError('usage', `the baseline weight must be 0..${100 - canaryWeight} beside the canary's ${canaryWeight}, not ${baselineWeight}`);
  if (baselineWeight > 0 && !hasBaseline) throw new UfError('usage', 'a baseline weight needs a baseline upstream');
  const stable = parseUpstreamUrl(String(options.stable), '--stable').href;
  const canary = parseUpstreamUrl(String(options.canary), '--canary').href;
  const baseline = options.baseline === undefined ? undefined : parseUpstreamUrl(String(options.baseline), '--baseline').href;

  const routing = new RoutingTable({ canaryWeight, baselineWeight, hasBaseline, sticky: options.sticky, stickySalt: options.stickySalt });
  if (options.route) routing.setRoute(options.route);
  const clock = systemClock;
  // The primary's meters hold the sum over the workers, refreshed before each read.
  const merged = createProxyMeters(routing, { clock, processMetrics: options.processMetrics });
  const base = createControl(routing, merged, clock, drainTimeoutMs);
  const retired = Object.fromEntries(variants.map((variant) => [variant, new VariantMeter(clock)])) as Record<(typeof variants)[number], VariantMeter>;
  const retiredClientErrors = new Float64Array(merged.clientErrors.counts.length);

  const setup = (): WorkerInit => ({
    listen: listenAt,
    stable,
    canary,
    ...(baseline !== undefined ? { baseline } : {}),
    ...(options.sticky ? { sticky: options.sticky } : {}),
    ...(options.stickySalt !== undefined ? { stickySalt: options.stickySalt } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.connectionsPerUpstream !== undefined ? { connectionsPerUpstream: options.connectionsPerUpstream } : {}),
    drainTimeoutMs,
    logLevel: logger.level,
    routing: sharedRouting(routing.state),
  });

  const here = import.meta.url;
  const typescript = here.endsWith('.ts');
  cluster.setupPrimary({ exec: new URL(typescript ? './worker-entry.ts' : './worker-entry.js', here).pathname, execArgv: [...routerNodeFlags, ...(typescript ? ['--import', 'tsx'] : [])], args: [] });

  const slots = new Map<number, Slot>();
  const snapshotWaiters = new Map<number, { slot: Slot; resolve: (snapshot: WorkerSnapshot | undefined) => void; timer: NodeJS.Timeout }>();
  const ackWaiters = new Set<() => void>();
  const restarts = new Map<number, number>();
  const restartTimers = new Set<NodeJS.Timeout>();
  let nextId = 1;
  let closing = false;
  let url: string | undefined;
  // node:cluster shares one socket among the workers that ask for the same address, port 0
  // included. When none is left (one worker that died), the socket closes: the worker started
  // next asks for the port it had, not 0, and so do all after it.
  let listenAt = options.listen;

  const post = (slot: Slot, message: ToRouterWorker) => {
    if (slot.worker.isConnected()) slot.worker.send(message);
  };

  const fork = (index: number): Promise<Slot> =>
    new Promise((resolve, reject) => {
      if (url !== undefined && slots.size === 0) listenAt = { ...options.listen, port: Number(new URL(url).port) };
      const worker = cluster.fork({ UF_PROXY_WORKER_INDEX: String(index) });
      const slot: Slot = { index, worker, greeted: false, ready: false, acked: routing.state.generation, last: undefined };
      slots.set(index, slot);
      worker.on('message', (message: FromRouterWorker) => {
        switch (message.type) {
          case 'hello':
            // Before anything else: the worker routes by the weights in force from its first request.
            slot.greeted = true;
            slot.acked = routing.state.generation;
            post(slot, { type: 'init', init: setup() });
            return;
          case 'ready':
            slot.ready = true;
            restarts.set(index, 0);
            url ??= message.url;
            resolve(slot);
            return;
          case 'failed':
            reject(new UfError((message.code as ErrorCode | undefined) ?? 'source_unavailable', message.message));
            return;
          case 'ack':
            slot.acked = Math.max(slot.acked, message.generation);
            for (const check of ackWaiters) check();
            return;
          case 'snapshot': {
            const waiter = snapshotWaiters.get(message.id);
            if (waiter === undefined) return;
            snapshotWaiters.delete(message.id);
            clearTimeout(waiter.timer);
            slot.last = message.snapshot;
            waiter.resolve(message.snapshot);
            return;
          }
        }
      });
      worker.on('exit', (code, signal) => {
        if (slots.get(index) === slot) slots.delete(index);
        // What it counted stays in the sums (requests since its last report are lost with it).
        if (slot.last) {
          for (const variant of variants) retired[variant].absorb({ ...slot.last.meters[variant], inFlight: 0, websocketsOpen: 0 });
          slot.last.clientErrors.forEach((n, i) => (retiredClientErrors[i]! += n));
        }
        for (const [id, waiter] of snapshotWaiters) {
          if (waiter.slot !== slot) continue;
          snapshotWaiters.delete(id);
          clearTimeout(waiter.timer);
          waiter.resolve(undefined);
        }
        for (const check of ackWaiters) check();
        if (!slot.ready) reject(new UfError('source_unavailable', `router worker ${index} stopped before it listened (${signal ?? `exit ${code}`})`));
        if (closing || !slot.ready) return;
        const attempt = restarts.get(index) ?? 0;
        const delayMs = Math.min(5_000, 100 * 2 ** attempt);
        restarts.set(index, attempt + 1);
        logger.error({ worker: index, pid: worker.process.pid, exitCode: code, signal, restartInMs: delayMs, weights: base.weights() }, 'router worker stopped unexpectedly; restarting it with the weights in force');
        const timer = setTimeout(() => {
          restartTimers.delete(timer);
          if (closing) return;
          fork(index).then(
            (started) => logger.info({ worker: index, pid: started.worker.process.pid }, 'router worker restarted'),
            (error: unknown) => logger.error({ err: error, worker: index }, 'router worker could not restart'),
          );
        }, delayMs);
        restartTimers.add(timer);
      });
    });

  /** Sends the routing in force to every worker and waits for each to acknowledge it. */
  const broadcast = async (): Promise<void> => {
    const state = sharedRouting(routing.state);
    const targets = [...slots.values()].filter((slot) => slot.greeted);
    for (const slot of targets) post(slot, { type: 'routing', routing: state });
    const laggards = () => targets.filter((slot) => slots.get(slot.index) === slot && slot.acked < state.generation);
    if (laggards().length === 0) return;
    await new Promise<void>((resolve) => {
      const check = () => {
        if (laggards().length > 0) return;
        ackWaiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        ackWaiters.delete(check);
        // A worker that cannot take the change must not serve the old weights: it is started again with the new ones.
        for (const slot of laggards()) {
          logger.error({ worker: slot.index, pid: slot.worker.process.pid, generation: state.generation }, `router worker did not acknowledge new weights within ${callTimeoutMs} ms; killing it`);
          slot.worker.process.kill('SIGKILL');
        }
        resolve();
      }, callTimeoutMs);
      ackWaiters.add(check);
    });
  };

  const snapshotOf = (slot: Slot): Promise<WorkerSnapshot | undefined> =>
    new Promise((resolve) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        snapshotWaiters.delete(id);
        resolve(slot.last);
      }, callTimeoutMs);
      snapshotWaiters.set(id, { slot, resolve, timer });
      post(slot, { type: 'snapshot', id });
    });

  /** Refills the primary's meters with the sum over the workers (and the dead workers' last counts). */
  const refresh = async (): Promise<void> => {
    const snapshots = await Promise.all([...slots.values()].filter((slot) => slot.greeted).map(snapshotOf));
    const nowMs = clock.now().getTime();
    for (const variant of variants) {
      const meter = merged.meters[variant];
      meter.clear();
      meter.absorb(retired[variant].snapshot(nowMs), nowMs);
      for (const snapshot of snapshots) if (snapshot) meter.absorb(snapshot.meters[variant], nowMs);
    }
    merged.clientErrors.counts.set(retiredClientErrors);
    for (const snapshot of snapshots) snapshot?.clientErrors.forEach((n, i) => (merged.clientErrors.counts[i]! += n));
  };

  const changed = async (view: WeightsView): Promise<WeightsView> => {
    await broadcast();
    options.onChange?.(view);
    return view;
  };

  const control: AdminControl = {
    weights: () => base.weights(),
    setWeight: (weight) => changed(base.setWeight(weight)),
    setWeights: (weights) => changed(base.setWeights(weights)),
    setRoute: (route) => changed(base.setRoute(route)),
    async reset(): Promise<ResetResult> {
      routing.reset();
      const view = await changed(base.weights());
      const inFlight = () => merged.meters.canary.inFlight + merged.meters.baseline.inFlight;
      const drained = await waitUntilAsync(async () => (await refresh(), inFlight() === 0), drainTimeoutMs);
      return { ...view, drained, canaryInFlight: merged.meters.canary.inFlight, ...(hasBaseline ? { baselineInFlight: merged.meters.baseline.inFlight } : {}) };
    },
    async stats(seconds) {
      checkStatsSeconds(seconds);
      await refresh();
      return base.stats(seconds);
    },
    async metrics() {
      await refresh();
      return base.metrics();
    },
  };

  const admin = options.admin ? http.createServer(adminHandler(control, options.adminToken, logger)) : undefined;
  const stopWorkers = async () => {
    closing = true;
    for (const timer of restartTimers) clearTimeout(timer);
    const running = [...slots.values()];
    await Promise.all(
      running.map(
        (slot) =>
          new Promise<void>((resolve) => {
            if (slot.worker.isDead()) return resolve();
            slot.worker.once('exit', () => resolve());
            post(slot, { type: 'close' });
            setTimeout(() => slot.worker.process.kill('SIGKILL'), drainTimeoutMs + 5_000).unref();
          }),
      ),
    );
  };

  try {
    // The first worker binds the socket (port 0 becomes a real port); the others share it.
    await fork(0);
    await Promise.all(Array.from({ length: options.workers - 1 }, (_, i) => fork(i + 1)));
    if (admin && options.admin) await listen(admin, options.admin, 'admin');
  } catch (error) {
    admin?.close();
    await stopWorkers();
    throw error;
  }
  const adminUrl = admin ? urlOf(admin) : undefined;
  logger.info({ url, adminUrl, workers: options.workers, stable, canary, baseline: baseline ?? null, canaryWeight, baselineWeight }, 'proxy listening');

  let closed: Promise<void> | undefined;
  return {
    url: url!,
    adminUrl,
    control,
    workerPids: () => [...slots.values()].map((slot) => slot.worker.process.pid!).filter((pid) => pid !== undefined),
    close: () =>
      (closed ??= (async () => {
        admin?.close();
        admin?.closeAllConnections();
        await stopWorkers();
        logger.info({ url }, 'proxy stopped');
      })()),
  };
}

async function waitUntilAsync(done: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!(await done())) {
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}


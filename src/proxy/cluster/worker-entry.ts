import { pino } from 'pino';
import { UfError } from '../../core/errors.js';
import { RoutingTable } from '../routing.js';
import { startProxy, type RunningProxy } from '../server.js';
import { variants, type Variant } from '../types.js';
import type { MeterSnapshot } from '../variant-meter.js';
import type { FromRouterWorker, ToRouterWorker, WorkerInit, WorkerSnapshot } from './protocol.js';

/**
 * One router worker process of `uf proxy --workers N` (forked by node:cluster). It takes its
 * routing state from the primary before it listens, swaps in every later one the moment it
 * arrives (acknowledging it), and hands its meters to the primary, which sums them.
 */
const send = (message: FromRouterWorker): void => void process.send?.(message);
let routing: RoutingTable | undefined;
let proxy: RunningProxy | undefined;
let stopping = false;

async function start(init: WorkerInit): Promise<void> {
  routing = new RoutingTable({ canaryWeight: 0, hasBaseline: init.baseline !== undefined, sticky: init.sticky, stickySalt: init.stickySalt });
  routing.adopt(init.routing);
  try {
    proxy = await startProxy({
      listen: init.listen,
      stable: init.stable,
      canary: init.canary,
      ...(init.baseline !== undefined ? { baseline: init.baseline } : {}),
      routing,
      ...(init.timeouts ? { timeouts: init.timeouts } : {}),
      ...(init.connectionsPerUpstream !== undefined ? { connectionsPerUpstream: init.connectionsPerUpstream } : {}),
      ...(init.drainTimeoutMs !== undefined ? { drainTimeoutMs: init.drainTimeoutMs } : {}),
      logger: pino({ level: init.logLevel }).child({ worker: process.pid }),
    });
    send({ type: 'ready', url: proxy.url });
  } catch (error) {
    send({ type: 'failed', code: error instanceof UfError ? error.code : undefined, message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
}

function snapshot(): WorkerSnapshot {
  const empty: MeterSnapshot = { requests: [], upstreamErrors: [], retriedOnStable: 0, truncated: 0, inFlight: 0, websocketsOpen: 0, durationCounts: [], durationSumSeconds: 0, window: [] };
  const meters = Object.fromEntries(variants.map((variant) => [variant, proxy ? proxy.meters.meters[variant].snapshot() : empty])) as Record<Variant, MeterSnapshot>;
  return { meters, clientErrors: proxy ? Array.from(proxy.meters.clientErrors.counts) : [] };
}

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await proxy?.close();
  process.exit(0);
}

process.on('message', (message: ToRouterWorker) => {
  switch (message.type) {
    case 'init':
      void start(message.init);
      return;
    case 'routing':
      routing?.adopt(message.routing);
      send({ type: 'ack', generation: message.routing.generation });
      return;
    case 'snapshot':
      send({ type: 'snapshot', id: message.id, snapshot: snapshot() });
      return;
    case 'close':
      void stop();
      return;
  }
});
// The primary stops the workers (Ctrl-C reaches the whole process group): a signal alone does
// not cut their requests in flight. A primary that is gone stops them too, after draining.
send({ type: 'hello' });
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
process.on('disconnect', () => void stop());

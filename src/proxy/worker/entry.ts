import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { UfError } from '../../core/errors.js';
import { startProxy, type RunningProxy } from '../server.js';
import type { FromWorker, RouterCalls, SerializedError, ToWorker, WorkerSetup } from './protocol.js';

/**
 * The worker thread of `uf serve`'s built-in routers: it owns their sockets, pools and routing
 * tables, so nothing the main thread does (a slow API handler, a store that is down) can delay a
 * proxied request. The main thread only sends weight changes and reads measurements.
 */
const port = parentPort;
if (port === null) throw new Error('the router worker must run in a worker thread');
const setup = workerData as WorkerSetup;
// pino writes to fd 1 itself, not through the main thread's event loop.
const logger = pino({ level: setup.logLevel });
const running = new Map<string, RunningProxy>();
const post = (message: FromWorker) => port.postMessage(message);

function serialize(error: unknown): SerializedError {
  return { code: error instanceof UfError ? error.code : undefined, message: error instanceof Error ? error.message : String(error) };
}

async function call(message: Extract<ToWorker, { type: 'call' }>): Promise<unknown> {
  const proxy = running.get(message.service);
  if (proxy === undefined) throw new UfError('not_found', `no built-in router for service '${message.service}'`);
  const control = proxy.control;
  switch (message.op) {
    case 'weights':
      return control.weights();
    case 'setWeight':
      return control.setWeight(message.arg as RouterCalls['setWeight']['arg']);
    case 'setWeights':
      return control.setWeights(message.arg as RouterCalls['setWeights']['arg']);
    case 'setRoute':
      return control.setRoute(message.arg as RouterCalls['setRoute']['arg']);
    case 'reset':
      return control.reset();
    case 'stats':
      return control.stats(message.arg as RouterCalls['stats']['arg']);
    case 'metrics':
      return control.metrics();
  }
}

async function closeAll(): Promise<void> {
  await Promise.all([...running.values()].map((proxy) => proxy.close()));
  running.clear();
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'close') {
    void closeAll().finally(() => process.exit(0));
    return;
  }
  call(message).then(
    (value) => post({ type: 'reply', id: message.id, ok: true, value }),
    (error: unknown) => post({ type: 'reply', id: message.id, ok: false, error: serialize(error) }),
  );
});

try {
  for (const spec of setup.routers) {
    const proxy = await startProxy({
      listen: spec.listen,
      stable: spec.stable,
      canary: spec.canary,
      canaryWeight: spec.canaryWeight,
      ...(spec.baseline !== undefined ? { baseline: spec.baseline, baselineWeight: spec.baselineWeight ?? 0 } : {}),
      ...(spec.route ? { route: spec.route } : {}),
      ...(spec.sticky ? { sticky: spec.sticky } : {}),
      ...(spec.admin ? { admin: spec.admin } : {}),
      ...(spec.adminToken ? { adminToken: spec.adminToken } : {}),
      ...(spec.timeouts ? { timeouts: spec.timeouts } : {}),
      logger: logger.child({ proxy: spec.service }),
      onChange: (view) => post({ type: 'changed', service: spec.service, view }),
    });
    running.set(spec.service, proxy);
  }
  post({
    type: 'ready',
    routers: setup.routers.map((spec) => {
      const proxy = running.get(spec.service)!;
      return { service: spec.service, url: proxy.url, adminUrl: proxy.adminUrl, listen: hostPortOf(proxy.url), admin: proxy.adminUrl ? hostPortOf(proxy.adminUrl) : undefined };
    }),
  });
} catch (error) {
  await closeAll();
  post({ type: 'failed', error: serialize(error) });
  process.exit(0);
}

function hostPortOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port) };
}

import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { UfError, type ErrorCode } from '../../core/errors.js';
import type { WeightsView } from '../admin-schema.js';
import type { FromWorker, RouterCall, RouterCalls, RouterSpec, SerializedError, ToWorker } from './protocol.js';
import { spawnRouterWorker } from './spawn.js';

/** The main thread's view of one router in the worker: the `ProxyControl` calls, by message. */
export interface RouterHandle {
  service: string;
  /** `http://host:port` of its data plane. */
  url: string;
  adminUrl: string | undefined;
  /** Whether the router has a baseline upstream. */
  hasBaseline: boolean;
  call<K extends RouterCall>(op: K, arg?: RouterCalls[K]['arg']): Promise<RouterCalls[K]['result']>;
}

export interface RouterHost {
  routers: RouterHandle[];
  /** The worker thread now running (a new one after a crash). */
  readonly worker: Worker;
  /** Stops the routers (letting requests in flight finish) and the thread. */
  close(): Promise<void>;
}

export interface RouterHostOptions {
  logger: Logger;
  /** Per call to the worker; 5 s by default. */
  callTimeoutMs?: number;
  /** How long `close` waits for the thread before terminating it; 15 s by default. */
  closeTimeoutMs?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Runs routers in a worker thread of their own and keeps them running: a worker that dies is
 * logged and started again on the same addresses with the last weights and route each router had
 * (learnt from its change messages, admin API changes included), after a short backoff.
 */
export async function startRouterHost(specs: RouterSpec[], options: RouterHostOptions): Promise<RouterHost> {
  const logger = options.logger;
  const callTimeoutMs = options.callTimeoutMs ?? 5_000;
  const closeTimeoutMs = options.closeTimeoutMs ?? 15_000;
  const current = new Map(specs.map((spec) => [spec.service, { ...spec }]));
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let closing = false;
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | undefined;

  const remember = (service: string, view: WeightsView) => {
    const spec = current.get(service);
    if (spec === undefined) return;
    spec.canaryWeight = view.canary;
    if (view.baseline !== undefined) spec.baselineWeight = view.baseline;
    if (view.route) spec.route = { ...view.route };
    else delete spec.route;
  };

  const failAll = (reason: string) => {
    for (const [id, call] of pending) {
      clearTimeout(call.timer);
      call.reject(new UfError('source_unavailable', reason));
      pending.delete(id);
    }
  };

  const launch = (): Promise<{ worker: Worker; ready: Extract<FromWorker, { type: 'ready' }> }> =>
    new Promise((resolve, reject) => {
      const worker = spawnRouterWorker({ workerData: { routers: [...current.values()], logLevel: logger.level } });
      let ready = false;
      worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'ready':
            ready = true;
            restarts = 0;
            // From now on the actual ports (port 0 resolved) are the ones a restart takes again.
            for (const router of message.routers) {
              const spec = current.get(router.service);
              if (spec) Object.assign(spec, { listen: router.listen }, router.admin ? { admin: router.admin } : {});
            }
            resolve({ worker, ready: message });
            return;
          case 'failed':
            reject(rebuild(message.error));
            return;
          case 'changed':
            remember(message.service, message.view);
            return;
          case 'reply': {
            const call = pending.get(message.id);
            if (call === undefined) return;
            pending.delete(message.id);
            clearTimeout(call.timer);
            if (message.ok) call.resolve(message.value);
            else call.reject(rebuild(message.error));
            return;
          }
        }
      });
      worker.on('error', (error: Error) => {
        logger.error({ err: error }, 'router worker failed');
        if (!ready) reject(error);
      });
      worker.on('exit', (code) => {
        failAll('the router worker stopped; try again');
        if (!ready) return reject(new UfError('source_unavailable', `the router worker stopped before its routers listened (exit ${code})`));
        if (closing) return;
        const delayMs = Math.min(5_000, 250 * 2 ** restarts);
        restarts++;
        logger.error({ exitCode: code, restartInMs: delayMs, routers: [...current.values()].map((s) => ({ service: s.service, canaryWeight: s.canaryWeight, baselineWeight: s.baselineWeight ?? null })) }, 'router worker stopped unexpectedly; restarting with the last weights');
        restartTimer = setTimeout(relaunch, delayMs);
      });
    });

  const relaunch = () => {
    restartTimer = undefined;
    if (closing) return;
    launch().then(
      (started) => {
        if (closing) return void started.worker.terminate();
        worker = started.worker;
        logger.info({ routers: started.ready.routers.map((r) => r.service) }, 'router worker restarted');
      },
      (error: unknown) => {
        logger.error({ err: error }, 'router worker could not restart; trying again');
        if (!closing) restartTimer = setTimeout(relaunch, Math.min(5_000, 250 * 2 ** restarts++));
      },
    );
  };

  const first = await launch();
  let worker = first.worker;

  const send = (message: ToWorker) => worker.postMessage(message);
  const handles: RouterHandle[] = first.ready.routers.map((router) => ({
    service: router.service,
    url: router.url,
    adminUrl: router.adminUrl,
    hasBaseline: current.get(router.service)?.baseline !== undefined,
    call<K extends RouterCall>(op: K, arg?: RouterCalls[K]['arg']): Promise<RouterCalls[K]['result']> {
      return new Promise((resolve, reject) => {
        if (closing) return reject(new UfError('source_unavailable', 'the built-in routers are stopping'));
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new UfError('source_unavailable', `built-in router '${router.service}' did not answer ${op} within ${callTimeoutMs} ms`));
        }, callTimeoutMs);
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
        send({ type: 'call', id, service: router.service, op, arg });
      });
    },
  }));

  let closed: Promise<void> | undefined;
  const close = async () => {
    closing = true;
    clearTimeout(restartTimer);
    const exited = new Promise<void>((resolve) => {
      if (worker.threadId === -1) return resolve();
      worker.once('exit', () => resolve());
    });
    send({ type: 'close' });
    const timer = setTimeout(() => void worker.terminate(), closeTimeoutMs);
    await exited;
    clearTimeout(timer);
    failAll('the built-in routers stopped');
  };
  return {
    routers: handles,
    get worker() {
      return worker;
    },
    close: () => (closed ??= close()),
  };
}

function rebuild(error: SerializedError): UfError {
  return new UfError((error.code as ErrorCode | undefined) ?? 'source_unavailable', error.message);
}

/**
 * An open-loop load generator for `npm run bench:proxy`, run in a process of its own:
 * `node --import tsx bench/proxy-open-loop.ts URL RATE SECONDS WARMUP_SECONDS CONNECTIONS [SENDERS]`.
 *
 * Requests are due on a fixed schedule (RATE per second), whatever the server does: a slow answer
 * does not delay the next request, as it would with wrk, so latency under load is not hidden
 * (coordinated omission). Each sender wakes every millisecond (node's timer resolution) and sends
 * what fell due on an idle keep-alive connection, or queues it until one frees up. A request's
 * latency runs from the tick at which it was due to the last byte of its answer: queueing for a
 * connection counts, the generator's own timer lag does not. Every latency is kept and sorted
 * (exact percentiles; a 10 s run at 20,000 req/s is 1.6 MB). Prints one JSON line (`OpenLoopReport`).
 *
 * One sender puts all of a millisecond's requests on the wire at once, and a single-threaded
 * server answers the last of such a burst late: at 20,000 req/s that is 20 at a time, a few
 * hundred microseconds of queueing that independent clients would cause less often. SENDERS child
 * processes (default 1) share the rate, each on its own clock, started a fraction of a millisecond
 * apart, which spreads the bursts; on a machine with few cores the extra processes compete with the
 * server for them, which can cost more than the bursts do.
 */
import { fork } from 'node:child_process';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { OpenLoopReport } from './proxy-open-loop-report.js';

interface Connection {
  socket: net.Socket;
  pending: Buffer | undefined;
  /** When the request on this connection fell due; undefined when idle. */
  dueAt: number | undefined;
}

const headerEnd = Buffer.from('\r\n\r\n');
const lastChunk = Buffer.from('0\r\n\r\n');

/** The byte length of one whole response at the start of `data`, or 0 when more is needed. */
function responseLength(data: Buffer): { length: number; status: number } {
  const end = data.indexOf(headerEnd);
  if (end < 0) return { length: 0, status: 0 };
  const head = data.toString('latin1', 0, end);
  const status = Number(head.slice(9, 12));
  const contentLength = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (contentLength) {
    const length = end + 4 + Number(contentLength[1]);
    return { length: data.length >= length ? length : 0, status };
  }
  // Chunked: the bodies here are tiny and never pipelined, so the answer ends with the last chunk.
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    const done = data.length >= end + 4 + lastChunk.length && data.subarray(data.length - lastChunk.length).equals(lastChunk);
    return { length: done ? data.length : 0, status };
  }
  return { length: end + 4, status };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** What one sender process was asked to do: its share of the rate and connections, and when to start. */
interface SenderTask {
  url: string;
  rate: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  /** Wall-clock start (ms since the epoch, fractional) shared by all senders, plus this one's offset. */
  startAt: number;
}

interface SenderResult {
  latencies: Float64Array;
  sent: number;
  errors: number;
  unfinished: number;
  maxTickGapMs: number;
}

const wallClock = () => performance.timeOrigin + performance.now();

/** Blocks this sender, before it starts, with sub-millisecond precision. */
function sleepPrecisely(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

async function runSender(task: SenderTask): Promise<SenderResult> {
  const { rate, seconds, warmupSeconds, connections: connectionCount } = task;
  const target = new URL(task.url);
  const request = Buffer.from(`GET / HTTP/1.1\r\nHost: ${target.host}\r\nUser-Agent: uf-bench-open-loop\r\n\r\n`, 'latin1');
  const port = Number(target.port);
  const idle: Connection[] = [];
  const sockets = new Set<net.Socket>();
  // Due times of queued requests: a growing array read from `queueHead`, cheaper than shift().
  const queue: number[] = [];
  let queueHead = 0;
  const latencies = new Float64Array(Math.ceil(rate * (seconds + 1) * 1.1) + 1024);
  let recorded = 0;
  let errors = 0;
  let sentMeasured = 0;
  let inFlight = 0;
  let stopping = false;
  let startedAt = 0;
  let measureFrom = 0;

  const send = (connection: Connection, dueAt: number) => {
    connection.dueAt = dueAt;
    inFlight++;
    if (dueAt >= measureFrom) sentMeasured++;
    connection.socket.write(request);
  };
  const drain = () => {
    while (queueHead < queue.length && idle.length > 0) send(idle.pop()!, queue[queueHead++]!);
  };
  const finishOne = (connection: Connection, ok: boolean) => {
    const dueAt = connection.dueAt;
    connection.dueAt = undefined;
    if (dueAt === undefined) return;
    inFlight--;
    if (!ok) errors++;
    else if (dueAt >= measureFrom && recorded < latencies.length) latencies[recorded++] = performance.now() - dueAt;
  };

  const open = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const connection: Connection = { socket: net.connect({ host: target.hostname, port, noDelay: true }), pending: undefined, dueAt: undefined };
      const { socket } = connection;
      sockets.add(socket);
      socket.once('connect', () => {
        socket.off('error', reject);
        idle.push(connection);
        drain();
        resolve();
      });
      socket.once('error', reject);
      socket.on('data', (chunk: Buffer) => {
        const data = connection.pending === undefined ? chunk : Buffer.concat([connection.pending, chunk]);
        const { length, status } = responseLength(data);
        if (length === 0) {
          connection.pending = data;
          return;
        }
        connection.pending = length < data.length ? data.subarray(length) : undefined;
        finishOne(connection, status === 200);
        idle.push(connection);
        drain();
      });
      socket.on('close', () => {
        sockets.delete(socket);
        if (connection.dueAt !== undefined) finishOne(connection, false);
        const at = idle.indexOf(connection);
        if (at >= 0) idle.splice(at, 1);
        // The server closed it: replace it, so the number of connections stays the same.
        if (!stopping) open().catch(() => errors++);
      });
      socket.on('error', () => undefined);
    });

  await Promise.all(Array.from({ length: connectionCount }, open));
  sleepPrecisely(task.startAt - wallClock());

  startedAt = performance.now();
  measureFrom = startedAt + warmupSeconds * 1000;
  const endAt = measureFrom + seconds * 1000;
  let scheduled = 0;
  let maxTickGap = 0;
  await new Promise<void>((resolve) => {
    let lastTick = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      maxTickGap = Math.max(maxTickGap, now - lastTick);
      lastTick = now;
      const due = Math.floor(((Math.min(now, endAt) - startedAt) * rate) / 1000);
      for (; scheduled < due; scheduled++) queue.push(now);
      drain();
      if (now >= endAt) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  const settleBy = performance.now() + 3000;
  const busy = () => queueHead < queue.length || inFlight > 0;
  while (busy() && performance.now() < settleBy) await new Promise((resolve) => setTimeout(resolve, 10));
  stopping = true;
  for (const socket of sockets) socket.destroy();
  return { latencies: latencies.slice(0, recorded), sent: sentMeasured, errors, unfinished: queue.length - queueHead + inFlight, maxTickGapMs: maxTickGap };
}

/** One sender in a child process (worker threads would not load TypeScript through tsx on node 20). */
function runInChild(task: SenderTask): Promise<SenderResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--sender', JSON.stringify(task)], { serialization: 'advanced', stdio: 'inherit' });
    child.once('message', (result) => resolve(result as SenderResult));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`sender exited with ${code} before reporting`)));
  });
}

async function runOpenLoop(url: string, rate: number, seconds: number, warmupSeconds: number, connections: number, senders: number): Promise<OpenLoopReport> {
  // Time for every sender to start and connect before the shared start.
  const startAt = wallClock() + 500;
  const results = await Promise.all(
    Array.from({ length: senders }, (_, index) =>
      runInChild({ url, rate: rate / senders, seconds, warmupSeconds, connections: Math.ceil(connections / senders), startAt: startAt + index / senders }),
    ),
  );
  const all = new Float64Array(results.reduce((sum, result) => sum + result.latencies.length, 0));
  let at = 0;
  for (const result of results) {
    all.set(result.latencies, at);
    at += result.latencies.length;
  }
  const sorted = all.sort();
  if (sorted.length === 0) throw new Error(`${url} answered none of the requests at ${rate} req/s`);
  const total = (key: 'sent' | 'errors' | 'unfinished') => results.reduce((sum, result) => sum + result[key], 0);
  return {
    rate,
    sentRate: total('sent') / seconds,
    completed: sorted.length,
    errors: total('errors'),
    unfinished: total('unfinished'),
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    p999Ms: percentile(sorted, 0.999),
    maxMs: percentile(sorted, 1),
    maxTickGapMs: Math.max(...results.map((result) => result.maxTickGapMs)),
  };
}

const args = process.argv.slice(2);
if (args[0] === '--sender') {
  // The generator that started this sender is gone (stopped, or failed): stop too.
  process.on('disconnect', () => process.exit(1));
  const result = await runSender(JSON.parse(args[1] ?? '{}') as SenderTask);
  process.send?.(result, () => process.exit(0));
} else {
  const [url, rate, seconds, warmup, connections, senders] = args;
  if (connections === undefined) throw new Error('usage: proxy-open-loop.ts URL RATE SECONDS WARMUP_SECONDS CONNECTIONS [SENDERS]');
  const report = await runOpenLoop(url!, Number(rate), Number(seconds), Number(warmup), Number(connections), Number(senders ?? 1));
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(0);
}

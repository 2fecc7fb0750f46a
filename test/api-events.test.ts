import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/api/server.js';
import type { AppEvent, EventBus } from '../src/app/events.js';
import { importCatalogFiles } from '../src/app/import-files.js';
import { composeRoot } from '../src/app/root.js';
import { parseConfig } from '../src/config/load.js';
import { fixedClock } from '../src/core/clock.js';
import type { Store } from '../src/store/open.js';
import { createToken } from '../src/store/repos/tokens.js';
import { freePort } from './helpers/ports.js';
import { storeTargets } from './helpers/stores.js';

/** The root's bus, counting live subscriptions so a test can see a disconnected client's go away. */
function countingBus(inner: EventBus): { bus: EventBus; count: () => number } {
  let count = 0;
  return {
    count: () => count,
    bus: {
      publish: (event) => inner.publish(event),
      subscribe(subscriber) {
        count++;
        const unsubscribe = inner.subscribe(subscriber);
        let done = false;
        return () => {
          if (!done) count--;
          done = true;
          unsubscribe();
        };
      },
    },
  };
}

interface Frame {
  id?: string;
  event?: string;
  data?: string;
  comments: string[];
}

function parseFrame(block: string): Frame {
  const frame: Frame = { comments: [] };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) frame.comments.push(line.slice(1).trim());
    else {
      const at = line.indexOf(':');
      const field = line.slice(0, at);
      const value = line.slice(at + 1).replace(/^ /, '');
      if (field === 'id' || field === 'event' || field === 'data') frame[field] = value;
    }
  }
  return frame;
}

/** An SSE stream read with fetch: frames in arrival order, waited for with a deadline. */
async function openStream(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const frames: Frame[] = [];
  let ended = false;
  const reading = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let text = '';
    try {
      for await (const chunk of response.body) {
        text += decoder.decode(chunk as Uint8Array, { stream: true });
        for (let cut = text.indexOf('\n\n'); cut >= 0; cut = text.indexOf('\n\n')) {
          frames.push(parseFrame(text.slice(0, cut)));
          text = text.slice(cut + 2);
        }
      }
    } catch {
      // Aborted by close().
    } finally {
      ended = true;
    }
  })();
  return {
    response,
    frames,
    ended: () => ended,
    /** Waits (at most 10 s) until `count` frames match. */
    async waitFor(match: (frame: Frame) => boolean, count = 1): Promise<Frame[]> {
      for (let i = 0; i < 1000; i++) {
        const found = frames.filter(match);
        if (found.length >= count) return found;
        await sleep(10);
      }
      throw new Error(`timed out waiting for ${count} frame(s); got ${JSON.stringify(frames)}`);
    },
    async close() {
      controller.abort();
      await reading;
    },
  };
}

async function waitUntil(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (condition()) return;
    await sleep(10);
  }
  throw new Error(`timed out waiting until ${what}`);
}

const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
const imported = (file: string): AppEvent => ({ type: 'import.completed', kind: 'catalog', file, actor: 'alice', at: clock.now().toISOString() });

describe('GET /api/v1/events (Server-Sent Events)', () => {
  let app: FastifyInstance;
  let store: Store;
  let cleanup: () => Promise<void>;
  let base: string;
  let port: number;
  let auth: Record<string, string>;
  let counted: ReturnType<typeof countingBus>;

  beforeAll(async () => {
    ({ store, cleanup } = await storeTargets[0]!.open());
    auth = { authorization: `Bearer ${(await createToken(store, { name: 'viewer', role: 'viewer', actor: 'alice' })).secret}` };
    const config = parseConfig('version: 1\nname: events-test\n', 'f.yaml');
    const loaded = { config, file: undefined, baseDir: process.cwd() };
    const parts = composeRoot(loaded, { env: {}, clock, logger: pino({ level: 'silent' }) });
    counted = countingBus(parts.events);
    app = await buildServer({ store, config, loaded, root: { ...parts, events: counted.bus }, eventStream: { heartbeatMs: 100, replayEvents: 5, maxBufferedBytes: 64 * 1024, dropGraceMs: 5_000 } });
    port = await freePort();
    await app.listen({ host: '127.0.0.1', port });
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  it('refuses a client without a token', async () => {
    const response = await fetch(`${base}/api/v1/events`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'unauthorized' });
  });

  it('refuses an unknown event type, naming the known ones', async () => {
    const response = await fetch(`${base}/api/v1/events?types=import.completed,nope`, { headers: auth });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string };
    expect(body.message).toContain('"nope"');
    expect(body.message).toContain('known types are change.updated, compat.updated, import.completed, intake.completed, rollout.notification, rollout.updated, upgrade.transitioned');
    expect((await fetch(`${base}/api/v1/events?types=`, { headers: auth })).status).toBe(400);
    expect((await fetch(`${base}/api/v1/events?typ=import.completed`, { headers: auth })).status).toBe(400);
    expect((await fetch(`${base}/api/v1/events`, { headers: { ...auth, 'last-event-id': 'x1' } })).status).toBe(400);
  });

  it('streams what a real import publishes, with ids, types and heartbeats, and unsubscribes when the client leaves', async () => {
    const baseline = counted.count();
    expect(baseline).toBe(1); // the replay ring
    const stream = await openStream(`${base}/api/v1/events`, auth);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await waitUntil('the client subscribed', () => counted.count() === baseline + 1);

    const files = ['components.yaml', 'apis.yaml', 'org.yaml'].map((f) => join(process.cwd(), 'demo-data', 'catalog', f));
    const outcomes = await importCatalogFiles(store, files, 'alice', undefined, { events: counted.bus, clock });
    const stored = outcomes.filter((o) => o.result).map((o) => o.file);
    expect(stored.length).toBeGreaterThan(0);
    const frames = await stream.waitFor((f) => f.event === 'import.completed', stored.length);
    expect(frames.map((f) => JSON.parse(f.data!).file)).toEqual(stored);
    const ids = frames.map((f) => Number(f.id));
    for (const [i, id] of ids.entries()) expect(id).toBe(ids[0]! + i);
    expect(JSON.parse(frames[0]!.data!)).toMatchObject({ type: 'import.completed', kind: 'catalog', actor: 'alice' });
    await stream.waitFor((f) => f.comments.includes('heartbeat'));

    await stream.close();
    await waitUntil('the client unsubscribed', () => counted.count() === baseline);
  });

  it('sends only the types asked for', async () => {
    const stream = await openStream(`${base}/api/v1/events?types=intake.completed,upgrade.transitioned`, auth);
    await waitUntil('the client subscribed', () => counted.count() === 2);
    counted.bus.publish(imported('skipped.yaml'));
    counted.bus.publish({ type: 'upgrade.transitioned', upgradeId: 'u-1', to: 'rejected', actor: 'alice', reason: 'r', at: clock.now().toISOString() });
    const [frame] = await stream.waitFor((f) => f.event !== undefined);
    expect(frame!.event).toBe('upgrade.transitioned');
    expect(stream.frames.some((f) => f.event === 'import.completed')).toBe(false);
    await stream.close();
    await waitUntil('the client unsubscribed', () => counted.count() === 1);
  });

  it('replays the events after Last-Event-ID from the ring, and sends reset when they have left it', async () => {
    const first = await openStream(`${base}/api/v1/events?types=import.completed`, auth);
    await waitUntil('the client subscribed', () => counted.count() === 2);
    counted.bus.publish(imported('one.yaml'));
    const [seen] = await first.waitFor((f) => f.event === 'import.completed');
    await first.close();
    await waitUntil('the client unsubscribed', () => counted.count() === 1);

    // Published while nobody listened: the ring keeps them.
    counted.bus.publish(imported('two.yaml'));
    counted.bus.publish(imported('three.yaml'));
    const again = await openStream(`${base}/api/v1/events?types=import.completed`, { ...auth, 'last-event-id': seen!.id! });
    const replayed = await again.waitFor((f) => f.event === 'import.completed', 2);
    expect(replayed.map((f) => JSON.parse(f.data!).file)).toEqual(['two.yaml', 'three.yaml']);
    expect(replayed.map((f) => Number(f.id))).toEqual([Number(seen!.id) + 1, Number(seen!.id) + 2]);
    // Live events follow the replay.
    counted.bus.publish(imported('four.yaml'));
    expect((await again.waitFor((f) => f.event === 'import.completed', 3))[2]!.data).toContain('four.yaml');
    await again.close();

    // The ring holds 5 events: after 6 more, the one after `seen` is gone.
    for (let i = 0; i < 6; i++) counted.bus.publish(imported(`flood-${i}.yaml`));
    const late = await openStream(`${base}/api/v1/events`, { ...auth, 'last-event-id': seen!.id! });
    const [reset] = await late.waitFor((f) => f.event === 'reset');
    expect(late.frames.filter((f) => f.event === 'import.completed')).toEqual([]);
    const newest = JSON.parse(reset!.data!).lastEventId as number;
    expect(newest).toBe(Number(seen!.id) + 9);
    await late.close();

    // An id this process never numbered (the server restarted): reset too.
    const future = await openStream(`${base}/api/v1/events`, { ...auth, 'last-event-id': String(newest + 100) });
    expect(JSON.parse((await future.waitFor((f) => f.event === 'reset'))[0]!.data!)).toEqual({ lastEventId: newest });
    await future.close();
    await waitUntil('the clients unsubscribed', () => counted.count() === 1);
  });

  it('drops a client that does not read, with a final comment, instead of buffering for it', async () => {
    const socket: Socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.write(`GET /api/v1/events HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: ${auth.authorization}\r\n\r\n`);
    socket.pause();
    await waitUntil('the slow client subscribed', () => counted.count() === 2);
    const big = 'x'.repeat(100_000);
    for (let i = 0; i < 400 && counted.count() === 2; i++) {
      counted.bus.publish(imported(`${big}-${i}`));
      await sleep(1);
    }
    expect(counted.count()).toBe(1);
    const chunks: Buffer[] = [];
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.resume();
    await Promise.race([closed, sleep(20_000).then(() => Promise.reject(new Error('the server kept the dropped connection open')))]);
    expect(Buffer.concat(chunks).toString('latin1')).toContain(': dropped: the client is not reading fast enough');
    socket.destroy();
  }, 30_000);

  it('documents the route in the OpenAPI document as an event stream', async () => {
    const document = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, unknown> }> } }> };
    expect(Object.keys(document.paths['/api/v1/events']!.get.responses['200']!.content)).toEqual(['text/event-stream']);
  });

  it('leaves no subscriber on the bus once the server closes', async () => {
    const stream = await openStream(`${base}/api/v1/events`, auth);
    await waitUntil('the client subscribed', () => counted.count() === 2);
    await app.close();
    await waitUntil('the stream ended', () => stream.ended());
    expect(counted.count()).toBe(0);
    await stream.close();
  });
});

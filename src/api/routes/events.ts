import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppEvent, AppEventType, EventBus } from '../../app/events.js';
import { tokenOf } from '../auth.js';
import { queryObject } from '../query.js';
import { errorResponse } from '../schemas.js';
import type { ServerDeps } from '../server.js';

/**
 * Every event type the stream can carry. A record over `AppEventType`, so a new event type added to
 * `app/events.ts` fails the type check here until it is listed (and so becomes filterable).
 */
const eventTypeSet: Record<AppEventType, true> = {
  'upgrade.transitioned': true,
  'import.completed': true,
  'intake.completed': true,
  'rollout.updated': true,
  'rollout.notification': true,
  'compat.updated': true,
  'change.updated': true,
};
export const streamEventTypes = Object.keys(eventTypeSet).sort() as AppEventType[];

/** Tuning of the event stream; tests shorten the heartbeat and the bounds. */
export interface EventStreamOptions {
  /** A comment line this often keeps proxies from closing an idle stream (default 15 000 ms). */
  heartbeatMs?: number;
  /** How many recent events are kept for `Last-Event-ID` replay (default 1 000). */
  replayEvents?: number;
  /**
   * Bytes a client may have waiting in the socket's write buffer (default 1 MiB). Beyond it the client
   * is too slow: it gets a final comment and is dropped rather than buffered for without limit.
   */
  maxBufferedBytes?: number;
  /** How long a dropped client's socket may take to flush its final comment before it is destroyed (default 1 000 ms). */
  dropGraceMs?: number;
}

interface Recorded {
  id: number;
  event: AppEvent;
}

/**
 * The bounded in-memory ring of recent events with their stream ids. It is the first subscriber to
 * the bus, and the bus delivers each event to every subscriber before the next one, so when a
 * client's subscriber hears an event the ring has already numbered it.
 */
class EventRing {
  private readonly entries: Recorded[] = [];
  private readonly ids = new WeakMap<AppEvent, number>();
  private next = 1;

  constructor(private readonly capacity: number) {}

  record(event: AppEvent): void {
    const id = this.next++;
    this.ids.set(event, id);
    this.entries.push({ id, event });
    if (this.entries.length > this.capacity) this.entries.shift();
  }

  idOf(event: AppEvent): number | undefined {
    return this.ids.get(event);
  }

  /** The id of the newest event so far (0 before the first). */
  get lastId(): number {
    return this.next - 1;
  }

  /** Events after `id`, or `undefined` when some of them have already left the ring. */
  after(id: number): Recorded[] | undefined {
    const oldest = this.entries[0]?.id ?? this.next;
    if (id + 1 < oldest) return undefined;
    return this.entries.filter((entry) => entry.id > id);
  }
}

const typesParam = z
  .string({ error: 'types must be given once, as a comma-separated list' })
  .min(1, { error: 'types must not be empty' })
  .transform((text, context) => {
    const types = text.split(',').map((t) => t.trim());
    const unknown = types.filter((t) => !(streamEventTypes as string[]).includes(t));
    if (unknown.length > 0) {
      context.addIssue({ code: 'custom', message: `types: unknown event type ${unknown.map((t) => JSON.stringify(t)).join(', ')}; known types are ${streamEventTypes.join(', ')}` });
      return z.NEVER;
    }
    return new Set(types as AppEventType[]);
  })
  .optional()
  .describe(`comma-separated event types to receive (default all): ${streamEventTypes.join(', ')}`);

function frame(id: number, event: AppEvent): string {
  return `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * `GET /api/v1/events`: the post-commit events as Server-Sent Events. Each event is sent as
 * `id: <n>`, `event: <type>`, `data: <the event as JSON>`; ids count up from 1 for the life of the
 * server process. A comment line (`: heartbeat`) goes out every `heartbeatMs`.
 *
 * Reconnecting: a client that sends `Last-Event-ID: <n>` first gets the events after n that are
 * still in the ring (the last `replayEvents`), then the live ones. When events after n have already
 * left the ring, or n is newer than any event this process has numbered (the server restarted and
 * counts from 1 again), it gets `event: reset` with `data: {"lastEventId": <newest id>}` instead:
 * it missed events and should reload what it shows. The `types` filter applies to replay as well.
 *
 * The client's bus subscription ends when its connection closes, and a client that does not read
 * (its write buffer is past `maxBufferedBytes`) gets `: dropped: ...` and is disconnected.
 */
export function registerEventRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const options = deps.eventStream ?? {};
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
  const dropGraceMs = options.dropGraceMs ?? 1_000;
  const bus: EventBus | undefined = deps.root?.events;
  const ring = new EventRing(options.replayEvents ?? 1_000);
  if (bus) {
    const unsubscribe = bus.subscribe((event) => ring.record(event));
    app.addHook('onClose', async () => unsubscribe());
  }
  // Open streams, ended when the server closes so `close()` does not wait on them.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Post-commit events as Server-Sent Events (every role); Last-Event-ID replays recent ones',
        description:
          'A text/event-stream: each event as `id: <n>`, `event: <type>`, `data: <json>`, and a `: heartbeat` comment every 15 s. ' +
          'Send `Last-Event-ID` to receive the events after it that are still among the last 1,000; if some are gone (or the server restarted), ' +
          'an `event: reset` with `data: {"lastEventId": n}` says the client missed events. A client that does not keep up is dropped.',
        querystring: queryObject({ types: typesParam }),
        headers: z.looseObject({ 'last-event-id': z.string().regex(/^[0-9]{1,15}$/, { error: 'last-event-id must be a whole number (digits only)' }).optional() }),
        response: {
          200: { description: 'the event stream (it does not end by itself)', content: { 'text/event-stream': { schema: z.string() } } },
          400: errorResponse,
          401: errorResponse,
          409: errorResponse,
        },
      },
    },
    async (request, reply) => {
      tokenOf(request);
      if (!bus) return reply.code(409).send({ code: 'conflict', message: 'this server was started without an event bus; it has no events to stream' });
      const types = request.query.types;
      const wanted = (event: AppEvent) => types === undefined || types.has(event.type);
      const lastHeader = request.headers['last-event-id'];
      const lastEventId = lastHeader === undefined ? undefined : Number(lastHeader);

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });

      let ended = false;
      let unsubscribe = (): void => {};
      const heartbeat = setInterval(() => send(': heartbeat\n\n'), heartbeatMs);
      const end = (finalComment?: string): void => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(end);
        if (finalComment === undefined) {
          raw.end();
          return;
        }
        // The connection closes with the stream, and a client that does not read would keep the socket
        // (and its buffer) forever: it gets a moment to take the final comment, then the socket is cut.
        const socket = raw.socket;
        raw.end(finalComment, () => socket?.end());
        setTimeout(() => socket?.destroy(), dropGraceMs).unref();
      };
      function send(text: string): void {
        if (ended) return;
        raw.write(text);
        if (raw.writableLength > maxBufferedBytes) end(`: dropped: the client is not reading fast enough (over ${maxBufferedBytes} bytes waiting)\n\n`);
      }
      open.add(end);
      raw.on('close', () => end());
      // A client that went away while the request was authenticated has already closed: no 'close' will come.
      if (raw.socket === null || raw.socket.destroyed) end();

      // Replay and subscribe in the same turn, so no event falls between them.
      if (lastEventId !== undefined) {
        const missed = lastEventId > ring.lastId ? undefined : ring.after(lastEventId);
        if (missed === undefined) send(`event: reset\ndata: ${JSON.stringify({ lastEventId: ring.lastId })}\n\n`);
        else for (const { id, event } of missed) if (wanted(event)) send(frame(id, event));
      } else {
        send(': connected\n\n');
      }
      if (ended) return;
      unsubscribe = bus.subscribe((event) => {
        const id = ring.idOf(event);
        if (id !== undefined && wanted(event)) send(frame(id, event));
      });
    },
  );
}

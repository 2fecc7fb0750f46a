/**
 * The server's event stream (`GET /api/v1/events`, text/event-stream) read with fetch, because
 * EventSource cannot send the Authorization header. Reconnects by itself with backoff and resumes
 * with `Last-Event-ID`; an `event: reset` (the server restarted or the gap was too long) tells the
 * listeners to reload everything.
 *
 * The payloads are the server's AppEvent (src/app/events.ts); the OpenAPI document describes the
 * stream but not its frames, so the fields the dashboard reads are written out here.
 */
export interface FactoryEvent {
  type: 'upgrade.transitioned' | 'import.completed' | 'intake.completed' | 'rollout.updated' | 'rollout.notification' | 'compat.updated' | 'change.updated' | 'reset';
  upgradeId?: string;
  rolloutId?: string;
  service?: string;
  phase?: string;
  weight?: number;
  weights?: { canary: number; baseline: number };
  at?: string;
  [field: string]: unknown;
}

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

export interface StreamOptions {
  token: string;
  onEvent: (event: FactoryEvent) => void;
  onStatus: (status: StreamStatus) => void;
  signal: AbortSignal;
}

/** Runs until `signal` aborts. */
export async function followEvents({ token, onEvent, onStatus, signal }: StreamOptions): Promise<void> {
  let lastId: string | undefined;
  let delay = 500;
  while (!signal.aborted) {
    onStatus(lastId === undefined ? 'connecting' : 'reconnecting');
    try {
      const response = await fetch('/api/v1/events', {
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) },
        signal,
        cache: 'no-store',
      });
      if (response.status === 401 || response.status === 403) return;
      if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
      onStatus('live');
      delay = 500;
      for await (const frame of frames(response.body, signal)) {
        if (frame.id) lastId = frame.id;
        if (frame.event === 'reset') {
          onEvent({ type: 'reset' });
          continue;
        }
        try {
          onEvent(JSON.parse(frame.data) as FactoryEvent);
        } catch {
          // A frame that is not JSON is not ours to show.
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    await sleep(delay, signal);
    delay = Math.min(delay * 2, 10_000);
  }
}

interface Frame {
  id?: string;
  event?: string;
  data: string;
}

/** Splits a text/event-stream body into frames (WHATWG HTML §9.2), comments and heartbeats skipped. */
async function* frames(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<Frame> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  signal.addEventListener('abort', () => void reader.cancel().catch(() => {}), { once: true });
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const frame: Frame = { data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') data.push(text);
        else if (field === 'id') frame.id = text;
        else if (field === 'event') frame.event = text;
      }
      if (data.length === 0) continue;
      frame.data = data.join('\n');
      yield frame;
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

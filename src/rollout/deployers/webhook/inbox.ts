import type { Clock } from '../../../core/clock.js';
import { callbackBodySchema, type CallbackBody } from './schema.js';
import { signatureHeader, verifySignature } from './signature.js';

/** How the API route answers a callback: 202 taken, 400 malformed, 401 bad signature or stale, 409 a replay. */
export type CallbackAcceptance = { accepted: true; status: 202; requestId: string } | { accepted: false; status: 400 | 401 | 409; reason: string };

export type CallbackHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Callbacks that came before anyone waited for them (a fast CD system), kept this many at most. */
const maxEarlyCallbacks = 1_000;

/**
 * Receives the signed callbacks of one webhook deployer and hands each to whoever waits for its
 * request id, in this process. A callback is taken only when its signature matches the shared
 * secret, its timestamp is within `maxAgeMs` of now (either way), and it was not taken before:
 * the same signed body sent again is refused as a replay.
 */
export class CallbackInbox {
  private readonly waiters = new Map<string, Set<(body: CallbackBody) => void>>();
  /** Callbacks nobody waited for yet, by request id. */
  private readonly early = new Map<string, { body: CallbackBody; atMs: number }>();
  /** Signatures already taken, with the time (ms) after which their timestamp is stale anyway. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly secret: string,
    private readonly clock: Clock,
    private readonly maxAgeMs: number,
  ) {}

  /** Verifies one callback (raw body bytes as received, and its headers) and delivers it. */
  acceptCallback(rawBody: string | Buffer, headers: CallbackHeaders): CallbackAcceptance {
    const signature = headerValue(headers, signatureHeader);
    if (signature === undefined) return { accepted: false, status: 401, reason: `no ${signatureHeader} header` };
    if (!verifySignature(rawBody, signature, this.secret)) return { accepted: false, status: 401, reason: 'the signature does not match the body' };
    let json: unknown;
    try {
      json = JSON.parse(Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : rawBody);
    } catch {
      return { accepted: false, status: 400, reason: 'the body is not JSON' };
    }
    const parsed = callbackBodySchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { accepted: false, status: 400, reason: `invalid callback: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` };
    }
    const body = parsed.data;
    const nowMs = this.clock.now().getTime();
    const sentMs = typeof body.timestamp === 'number' ? body.timestamp * 1000 : Date.parse(body.timestamp);
    if (Math.abs(nowMs - sentMs) > this.maxAgeMs) {
      return { accepted: false, status: 401, reason: `the callback's timestamp is more than ${Math.round(this.maxAgeMs / 1000)} s from now: refused as a replay` };
    }
    this.prune(nowMs);
    const key = signature.trim().toLowerCase();
    if (this.seen.has(key)) return { accepted: false, status: 409, reason: 'this callback was received before: refused as a replay' };
    this.seen.set(key, sentMs + this.maxAgeMs);
    this.deliver(body, nowMs);
    return { accepted: true, status: 202, requestId: body.requestId };
  }

  /**
   * Resolves with the callback for `requestId` (one that came early included), or undefined when
   * none came within `timeoutMs` or `signal` aborted.
   */
  wait(requestId: string, timeoutMs: number, signal?: AbortSignal): Promise<CallbackBody | undefined> {
    const early = this.early.get(requestId);
    if (early) {
      this.early.delete(requestId);
      return Promise.resolve(early.body);
    }
    return new Promise((resolve) => {
      const waiting = this.waiters.get(requestId) ?? new Set();
      this.waiters.set(requestId, waiting);
      const done = (body: CallbackBody | undefined) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        waiting.delete(done);
        if (waiting.size === 0 && this.waiters.get(requestId) === waiting) this.waiters.delete(requestId);
        resolve(body);
      };
      const abort = () => done(undefined);
      const timer = setTimeout(abort, timeoutMs);
      signal?.addEventListener('abort', abort, { once: true });
      waiting.add(done);
    });
  }

  private deliver(body: CallbackBody, nowMs: number): void {
    const waiting = this.waiters.get(body.requestId);
    if (waiting && waiting.size > 0) {
      for (const done of [...waiting]) done(body);
      return;
    }
    if (this.early.size >= maxEarlyCallbacks) {
      const oldest = this.early.keys().next().value;
      if (oldest !== undefined) this.early.delete(oldest);
    }
    this.early.set(body.requestId, { body, atMs: nowMs });
  }

  private prune(nowMs: number): void {
    for (const [key, staleAfter] of this.seen) if (staleAfter < nowMs) this.seen.delete(key);
    for (const [id, { atMs }] of this.early) if (atMs + this.maxAgeMs < nowMs) this.early.delete(id);
  }
}

function headerValue(headers: CallbackHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

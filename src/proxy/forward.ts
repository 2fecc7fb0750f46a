import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { ClientErrorMeter } from './client-errors.js';
import { clientResponseHeadersFromRaw, upstreamRequestHeaders } from './headers.js';
import type { Variant, ProxyTimeouts } from './types.js';
import { classifyUpstreamError, failureResponse, mayRetry, type Upstream } from './upstream.js';
import type { UpstreamErrorKind, VariantMeter } from './variant-meter.js';

/** What every exchange of one proxy shares. */
export interface ForwardContext {
  /** `baseline` only when configured; the routing table never picks it otherwise. */
  upstreams: { stable: Upstream; canary: Upstream; baseline?: Upstream };
  meters: Record<Variant, VariantMeter>;
  timeouts: ProxyTimeouts;
  /** End-to-end limit to the response headers, in ms (see `ProxyTimeouts.deadlineMs`). */
  deadlineMs: number;
  /** Requests refused or cut short because of the client, counted for the router, not a version. */
  clientErrors: ClientErrorMeter;
  logger: Logger;
  /** Client sockets of open WebSocket (upgraded) connections, closed when the proxy stops. */
  upgraded: Set<Duplex>;
}

/** Whether a request carries a body (RFC 9112 §6.3: none without Content-Length or Transfer-Encoding). */
export function requestHasBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}

/**
 * One client request forwarded to an upstream: the undici dispatch handler that streams the
 * response back, with backpressure both ways, and retries once on stable when the chosen version
 * failed before any response byte and the request may be repeated (see `mayRetry`). A deadline
 * covers everything up to the response headers, waiting for a pool connection included (undici's
 * own timeouts start only once a connection is free). One object per request, no closures on the
 * common path.
 *
 * It speaks undici's raw handler interface (onConnect, onHeaders, onData, onComplete, onError),
 * which the types mark deprecated but undici 7 still drives directly: the newer controller
 * interface wraps every request in two more objects and parses the response headers into an
 * object (and the trailers into another) that the proxy would only take apart again. Here the
 * raw header buffers go straight into the client's header list. `test/proxy/*.test.ts` and
 * `src/proxy/headers.test.ts` pin the behaviour, so an undici that stops calling these fails them.
 */
export class Exchange implements Dispatcher.DispatchHandler {
  private variant: Variant;
  private retried = false;
  private responded = false;
  private finished = false;
  private clientGone = false;
  private status = 0;
  private deadline: NodeJS.Timeout | undefined;
  private readonly startedAt = performance.now();
  private readonly hasBody: boolean;
  /** undici's abort for this request once it has a connection; undefined before. */
  private abortUpstream: ((error?: Error) => void) | undefined;
  private resumeUpstream: (() => void) | undefined;

  constructor(
    private readonly context: ForwardContext,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    variant: Variant,
  ) {
    this.variant = variant;
    this.hasBody = requestHasBody(req.headers);
    res.on('close', onClientClose);
    (res as ResponseWithExchange)[exchangeKey] = this;
    this.deadline = setTimeout(onDeadline, context.deadlineMs, this);
  }

  start(): void {
    // The routing table picks the baseline only when the proxy has one (see RoutingTable.hasBaseline).
    const upstream = this.context.upstreams[this.variant]!;
    this.context.meters[this.variant].inFlight++;
    this.abortUpstream = undefined;
    upstream.pool.dispatch(
      {
        origin: upstream.origin,
        path: upstream.basePath === '' ? (this.req.url ?? '/') : upstream.basePath + (this.req.url ?? '/'),
        method: (this.req.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: upstreamRequestHeaders(this.req, upstream.host, false),
        body: this.hasBody ? this.req : null,
      },
      this,
    );
  }

  onConnect(abort: (error?: Error) => void): void {
    this.abortUpstream = abort;
    // A request that waited in the pool queue past its deadline (or its client) leaves at once.
    if (this.clientGone || this.finished) abort(new Error('request ended before it was sent'));
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200 || this.finished) return true;
    clearTimeout(this.deadline);
    this.responded = true;
    this.status = statusCode;
    this.resumeUpstream = resume;
    this.res.writeHead(statusCode, clientResponseHeadersFromRaw(rawHeaders));
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.finished) return true;
    if (this.res.write(chunk)) return true;
    this.res.once('drain', resumeUpstream);
    return false;
  }

  onComplete(): void {
    if (this.finished) return;
    this.res.end();
    this.finish(this.status);
  }

  onError(error: Error): void {
    if (this.finished) return;
    // A client that went away mid-upload fails the upstream request too; that is not the upstream's fault.
    const clientGone = this.clientGone || this.res.destroyed || (this.req.destroyed && !this.req.complete);
    const kind = clientGone ? 'aborted' : classifyUpstreamError(error);
    if (kind === 'aborted') {
      if (clientGone) this.countClientAbort();
      this.finish(0);
      return;
    }
    if (kind === 'invalid_request') {
      this.refuse('invalid_request', error);
      return;
    }
    const meter = this.context.meters[this.variant];
    if (this.responded) {
      // The client already has part of the response: all that is left is to cut it off. The
      // version failed this request, whatever status its headers promised.
      meter.recordUpstreamError('body_error');
      this.context.logger.debug({ variant: this.variant, upstream: this.context.upstreams[this.variant]?.url, status: this.status, err: error.message }, 'response cut off mid-body');
      this.res.destroy(error);
      this.finish(this.status, true);
      return;
    }
    meter.recordUpstreamError(kind);
    if (!this.retried && mayRetry(kind, this.req.method ?? 'GET', this.hasBody)) {
      meter.inFlight--;
      meter.retriedOnStable++;
      this.retried = true;
      this.variant = 'stable';
      this.start();
      return;
    }
    this.respondWithFailure(kind, error);
  }

  /** The client went away: stop the upstream request too. */
  clientClosed(): void {
    if (this.finished) return;
    this.countClientAbort();
    this.abortUpstream?.(new Error('client closed the connection'));
  }

  /** The deadline passed before the response headers: 504, counted against the version it waited on. */
  deadlinePassed(): void {
    if (this.finished || this.responded) return;
    if (this.clientGone) {
      // Still queued for a connection after its client left: nobody to answer, nothing to charge.
      this.finish(0);
      return;
    }
    this.context.meters[this.variant].recordUpstreamError('deadline');
    this.respondWithFailure('deadline', new Error(`no response headers within ${this.context.deadlineMs} ms`));
    this.abortUpstream?.(new Error('request deadline passed'));
  }

  resume(): void {
    this.resumeUpstream?.();
  }

  private countClientAbort(): void {
    if (this.clientGone) return;
    this.clientGone = true;
    this.context.clientErrors.record('client_aborted');
  }

  /** Answers 400 for a request that cannot be forwarded as the client sent it; no version is charged. */
  private refuse(reason: 'invalid_request', error: Error): void {
    this.context.clientErrors.record(reason);
    this.context.logger.debug({ reason, method: this.req.method, err: error.message }, 'request refused');
    if (!this.res.headersSent) sendRefusal(this.res, 400, 'uf proxy: this request cannot be forwarded\n');
    else this.res.destroy();
    this.finish(0);
  }

  private respondWithFailure(kind: UpstreamErrorKind, error: unknown): void {
    const failure = failureResponse(this.variant, kind);
    // The detail goes to the log only: the client sees neither the upstream's address nor the error text.
    const detail = error instanceof Error ? error.message : String(error);
    this.context.logger.debug({ variant: this.variant, upstream: this.context.upstreams[this.variant]?.url, kind, status: failure.status, method: this.req.method, err: detail }, 'upstream failed');
    if (!this.res.headersSent) {
      this.res.writeHead(failure.status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(failure.body), 'x-uf-upstream': this.variant });
      this.res.end(failure.body);
    } else {
      this.res.destroy();
    }
    this.finish(failure.status);
  }

  private finish(status: number, truncated = false): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.deadline);
    const meter = this.context.meters[this.variant];
    meter.inFlight--;
    if (truncated) meter.recordTruncated(performance.now() - this.startedAt);
    else if (status > 0) meter.recordResponse(status, performance.now() - this.startedAt);
  }
}

/** A plain-text refusal of the proxy itself (not of an upstream), closing the connection. */
export function sendRefusal(res: ServerResponse, status: 400 | 405, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body);
}

function onDeadline(exchange: Exchange): void {
  exchange.deadlinePassed();
}

const exchangeKey = Symbol('uf.exchange');
type ResponseWithExchange = ServerResponse & { [exchangeKey]?: Exchange };

function onClientClose(this: ServerResponse): void {
  const exchange = (this as ResponseWithExchange)[exchangeKey];
  if (exchange !== undefined && !this.writableFinished) exchange.clientClosed();
}

function resumeUpstream(this: ServerResponse): void {
  (this as ResponseWithExchange)[exchangeKey]?.resume();
}

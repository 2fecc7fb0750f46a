import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { clientResponseHeaders, upstreamRequestHeaders } from './headers.js';
import type { Variant, ProxyTimeouts } from './types.js';
import { classifyUpstreamError, failureResponse, mayRetry, type Upstream } from './upstream.js';
import type { UpstreamErrorKind, VariantMeter } from './variant-meter.js';

/** What every exchange of one proxy shares. */
export interface ForwardContext {
  upstreams: Record<Variant, Upstream>;
  meters: Record<Variant, VariantMeter>;
  timeouts: ProxyTimeouts;
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
 * failed before any response byte and the request may be repeated (see `mayRetry`). One object per
 * request, no closures on the common path.
 */
export class Exchange implements Dispatcher.DispatchHandler {
  private variant: Variant;
  private retried = false;
  private responded = false;
  private finished = false;
  private clientGone = false;
  private status = 0;
  private readonly startedAt = performance.now();
  private readonly hasBody: boolean;
  private controller: Dispatcher.DispatchController | undefined;

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
  }

  start(): void {
    const upstream = this.context.upstreams[this.variant];
    this.context.meters[this.variant].inFlight++;
    this.controller = undefined;
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

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.clientGone) controller.abort(new Error('client closed the connection'));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return;
    this.responded = true;
    this.status = statusCode;
    this.res.writeHead(statusCode, clientResponseHeaders(headers));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.res.write(chunk)) {
      controller.pause();
      this.res.once('drain', resumeUpstream);
    }
  }

  onResponseEnd(): void {
    this.res.end();
    this.finish(this.status);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.finished) return;
    // A client that went away mid-upload fails the upstream request too; that is not the upstream's fault.
    const clientGone = this.clientGone || this.res.destroyed || (this.req.destroyed && !this.req.complete);
    const kind = clientGone ? 'aborted' : classifyUpstreamError(error);
    if (kind === 'aborted') {
      this.finish(0);
      return;
    }
    const meter = this.context.meters[this.variant];
    if (this.responded) {
      // The client already has part of the response: all that is left is to cut it off.
      meter.recordUpstreamError('body_error');
      this.res.destroy(error);
      this.finish(this.status);
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
    this.clientGone = true;
    this.controller?.abort(new Error('client closed the connection'));
  }

  resume(): void {
    this.controller?.resume();
  }

  private respondWithFailure(kind: UpstreamErrorKind, error: unknown): void {
    const upstream = this.context.upstreams[this.variant];
    const failure = failureResponse(upstream, kind, error, this.context.timeouts);
    this.context.logger.debug({ variant: this.variant, kind, status: failure.status, method: this.req.method, url: this.req.url }, 'upstream failed');
    if (!this.res.headersSent) {
      this.res.writeHead(failure.status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(failure.body), 'x-uf-upstream': this.variant });
      this.res.end(failure.body);
    } else {
      this.res.destroy();
    }
    this.finish(failure.status);
  }

  private finish(status: number): void {
    if (this.finished) return;
    this.finished = true;
    const meter = this.context.meters[this.variant];
    meter.inFlight--;
    if (status > 0) meter.recordResponse(status, performance.now() - this.startedAt);
  }
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

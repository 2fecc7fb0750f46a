import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import type { ForwardContext } from './forward.js';
import { clientResponseHeaders, upstreamRequestHeaders } from './headers.js';
import type { Variant } from './types.js';
import { classifyUpstreamError, failureResponse, neverReachedUpstream } from './upstream.js';

/**
 * Passes an HTTP upgrade (WebSocket) through to a version: the handshake goes upstream on its own
 * connection (upgraded connections leave the pool for good), and once the upstream switches
 * protocols the two sockets are piped together until either side closes. A connection that could
 * not be opened is tried once on stable, as for plain requests.
 */
export function forwardUpgrade(context: ForwardContext, req: http.IncomingMessage, socket: Duplex, head: Buffer, variant: Variant, retried = false): void {
  // The routing table picks the baseline only when the proxy has one (see RoutingTable.hasBaseline).
  const upstream = context.upstreams[variant]!;
  const meter = context.meters[variant];
  const startedAt = performance.now();
  let answered = false;
  socket.on('error', () => upstreamReq.destroy());
  const send = upstream.origin.startsWith('https:') ? https.request : http.request;
  const upstreamReq = send({
    host: upstream.hostname,
    port: upstream.port,
    method: req.method,
    path: upstream.basePath + (req.url ?? '/'),
    headers: upstreamRequestHeaders(req, upstream.host, true),
    agent: false,
    timeout: context.timeouts.connectMs + context.timeouts.responseMs,
  });
  upstreamReq.on('timeout', () => upstreamReq.destroy(Object.assign(new Error('no answer to the upgrade request'), { code: 'UND_ERR_HEADERS_TIMEOUT' })));

  upstreamReq.on('upgrade', (upstreamRes: http.IncomingMessage, upstreamSocket: Duplex, upstreamHead: Buffer) => {
    answered = true;
    upstreamReq.setTimeout(0);
    meter.recordResponse(101, performance.now() - startedAt);
    socket.write(statusHead(101, upstreamRes.statusMessage ?? 'Switching Protocols', upstreamRes.rawHeaders));
    if (upstreamHead.length > 0) socket.write(upstreamHead);
    if (head.length > 0) upstreamSocket.write(head);
    meter.websocketsOpen++;
    context.upgraded.add(socket);
    let open = true;
    const close = () => {
      if (!open) return;
      open = false;
      meter.websocketsOpen--;
      context.upgraded.delete(socket);
      socket.destroy();
      upstreamSocket.destroy();
    };
    upstreamSocket.on('error', close).on('close', close);
    socket.on('close', close);
    upstreamSocket.pipe(socket);
    socket.pipe(upstreamSocket);
  });

  upstreamReq.on('response', (upstreamRes: http.IncomingMessage) => {
    // The upstream refused to switch protocols: relay its answer and close.
    answered = true;
    meter.recordResponse(upstreamRes.statusCode ?? 502, performance.now() - startedAt);
    const headers = clientResponseHeaders(upstreamRes.headers);
    const flat: string[] = [];
    for (let i = 0; i < headers.length; i += 2) for (const value of ([] as string[]).concat(headers[i + 1]!)) flat.push(headers[i] as string, value);
    flat.push('connection', 'close');
    socket.write(statusHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage ?? '', flat));
    upstreamRes.pipe(socket);
  });

  upstreamReq.on('error', (error: Error) => {
    if (answered) {
      socket.destroy();
      return;
    }
    const kind = classifyUpstreamError(error);
    if (kind === 'aborted' || socket.destroyed) return;
    if (!retried && kind !== 'invalid_request' && neverReachedUpstream(kind)) {
      meter.recordUpstreamError(kind);
      meter.retriedOnStable++;
      forwardUpgrade(context, req, socket, head, 'stable', true);
      return;
    }
    if (kind === 'invalid_request') {
      context.clientErrors.record('invalid_request');
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    meter.recordUpstreamError(kind);
    const failure = failureResponse(variant, kind);
    context.logger.debug({ variant, upstream: upstream.url, kind, status: failure.status, err: error.message }, 'upstream failed');
    meter.recordResponse(failure.status, performance.now() - startedAt);
    socket.end(
      statusHead(failure.status, failure.status === 504 ? 'Gateway Timeout' : 'Bad Gateway', ['content-type', 'text/plain; charset=utf-8', 'content-length', String(Buffer.byteLength(failure.body)), 'connection', 'close']) + failure.body,
    );
  });
  upstreamReq.end();
}

function statusHead(status: number, message: string, rawHeaders: string[]): string {
  let head = `HTTP/1.1 ${status} ${message}\r\n`;
  for (let i = 0; i < rawHeaders.length; i += 2) head += `${rawHeaders[i]!}: ${rawHeaders[i + 1]!}\r\n`;
  return `${head}\r\n`;
}

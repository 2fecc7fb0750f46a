/**
 * Requests the proxy refused or could not forward because of the client, counted per router and
 * never against a version: a client must not be able to make a healthy canary look broken.
 *
 * - `bad_target`: a request target the proxy cannot route (`OPTIONS *`, CONNECT, a target that is
 *   neither a path nor an http(s) URL);
 * - `malformed_request`: bytes node's HTTP parser refused (bad request line, bad header);
 * - `header_too_large`: request headers past node's limit;
 * - `request_timeout`: the client did not finish sending its request in time;
 * - `invalid_request`: a request the upstream client refused to send (e.g. a header value it rejects);
 * - `client_aborted`: the client went away before its response was complete.
 */
export const clientErrorReasons = ['bad_target', 'malformed_request', 'header_too_large', 'request_timeout', 'invalid_request', 'client_aborted'] as const;
export type ClientErrorReason = (typeof clientErrorReasons)[number];

export class ClientErrorMeter {
  readonly counts = new Float64Array(clientErrorReasons.length);

  record(reason: ClientErrorReason): void {
    this.counts[clientErrorReasons.indexOf(reason)]! += 1;
  }

  snapshot(): Record<ClientErrorReason, number> {
    return Object.fromEntries(clientErrorReasons.map((reason, i) => [reason, this.counts[i]!])) as Record<ClientErrorReason, number>;
  }
}

/** The reason a `clientError` of node's HTTP server stands for. */
export function clientErrorReasonOf(code: string | undefined): ClientErrorReason {
  if (code === 'HPE_HEADER_OVERFLOW') return 'header_too_large';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'request_timeout';
  return 'malformed_request';
}

/**
 * The origin-form target (`/path?query`) to forward for a request target, or undefined when it
 * cannot be routed. Absolute-form (`http://host/path`, RFC 9112 §3.2.2) is reduced to its path;
 * asterisk-form (`OPTIONS *`) and anything else is refused.
 */
export function forwardableTarget(target: string | undefined): string | undefined {
  if (target === undefined || target === '') return undefined;
  if (target.charCodeAt(0) === 47 /* / */) return target;
  if (!/^https?:\/\//i.test(target)) return undefined;
  try {
    const url = new URL(target);
    return url.pathname + url.search;
  } catch {
    return undefined;
  }
}

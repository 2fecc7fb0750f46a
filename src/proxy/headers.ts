import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { util } from 'undici';

/** What this proxy calls itself in Via (RFC 9110 §7.6.3). */
export const viaToken = '1.1 uf-proxy';

/**
 * Hop-by-hop fields (RFC 9110 §7.6.1): they describe one connection and are never forwarded,
 * together with the fields that `Connection` names. `expect` is answered here (node sends the
 * 100 Continue), and the forwarding fields are rewritten below rather than passed on.
 */
const neverForwarded: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
const rewrittenOnRequest: ReadonlySet<string> = new Set(['host', 'expect', 'via', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host']);

/** The extra fields a Connection header names, lower-cased; undefined when it names none. */
export function connectionListed(value: string | string[] | undefined): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  let listed: Set<string> | undefined;
  for (const part of Array.isArray(value) ? value : [value]) {
    for (const raw of part.split(',')) {
      const token = raw.trim().toLowerCase();
      if (token === '' || token === 'keep-alive' || token === 'close' || neverForwarded.has(token)) continue;
      (listed ??= new Set()).add(token);
    }
  }
  return listed;
}

/**
 * The header list (flat: name, value, name, value…) to send upstream for a client request: the
 * client's fields less the hop-by-hop ones, Host set to the upstream, X-Forwarded-For extended
 * with the client address, X-Forwarded-Proto and -Host describing this hop, and Via extended.
 * An upgrade request keeps its Upgrade and Connection: upgrade, which the upstream needs.
 */
export function upstreamRequestHeaders(req: IncomingMessage, upstreamHost: string, upgrade: boolean): string[] {
  const raw = req.rawHeaders;
  const listed = connectionListed(req.headers.connection);
  const out: string[] = [];
  let forwardedFor: string | undefined;
  let via: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (neverForwarded.has(lower) || (listed !== undefined && listed.has(lower))) continue;
    if (rewrittenOnRequest.has(lower)) {
      if (lower === 'x-forwarded-for') forwardedFor = forwardedFor === undefined ? raw[i + 1]! : `${forwardedFor}, ${raw[i + 1]!}`;
      else if (lower === 'via') via = via === undefined ? raw[i + 1]! : `${via}, ${raw[i + 1]!}`;
      continue;
    }
    out.push(name, raw[i + 1]!);
  }
  const client = req.socket.remoteAddress ?? 'unknown';
  out.push('host', upstreamHost);
  out.push('x-forwarded-for', forwardedFor === undefined ? client : `${forwardedFor}, ${client}`);
  out.push('x-forwarded-proto', 'encrypted' in req.socket ? 'https' : 'http');
  const host = req.headers.host;
  if (host !== undefined) out.push('x-forwarded-host', host);
  out.push('via', via === undefined ? viaToken : `${via}, ${viaToken}`);
  if (upgrade) out.push('connection', 'upgrade', 'upgrade', req.headers.upgrade ?? 'websocket');
  return out;
}

/** The header list to send the client for an upstream response: hop-by-hop fields out, Via in. */
export function clientResponseHeaders(headers: IncomingHttpHeaders): Array<string | string[]> {
  const listed = connectionListed(headers.connection);
  const out: Array<string | string[]> = [];
  let via: string | undefined;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || neverForwarded.has(name) || (listed !== undefined && listed.has(name))) continue;
    if (name === 'via') {
      via = Array.isArray(value) ? value.join(', ') : value;
      continue;
    }
    out.push(name, value);
  }
  out.push('via', via === undefined ? viaToken : `${via}, ${viaToken}`);
  return out;
}

/**
 * The same as `clientResponseHeaders`, read straight from undici's raw response headers (name,
 * value, name, value… as the upstream sent them), without building a parsed object first: names
 * lower-cased (undici's interned strings for the common ones), values as latin1, repeated fields
 * kept as repeated pairs.
 */
export function clientResponseHeadersFromRaw(raw: readonly Buffer[]): string[] {
  const out: string[] = [];
  let via: string | undefined;
  let listed: ReadonlySet<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = util.headerNameToString(raw[i]!);
    const value = raw[i + 1]!.toString('latin1');
    if (neverForwarded.has(name)) {
      if (name === 'connection') listed = mergeListed(listed, connectionListed(value));
      continue;
    }
    if (name === 'via') {
      via = via === undefined ? value : `${via}, ${value}`;
      continue;
    }
    out.push(name, value);
  }
  const kept = listed === undefined ? out : withoutListed(out, listed);
  kept.push('via', via === undefined ? viaToken : `${via}, ${viaToken}`);
  return kept;
}

function mergeListed(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): ReadonlySet<string> | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return new Set([...a, ...b]);
}

/** A flat header list less the fields a Connection header named (rare: read only when it names any). */
function withoutListed(flat: string[], listed: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += 2) if (!listed.has(flat[i]!)) out.push(flat[i]!, flat[i + 1]!);
  return out;
}

/** Request headers that pin a request to the variant of an override route: its header, or its cookie. */
export function forcingHeaders(route: { kind: 'header' | 'cookie'; name: string; value: string }): Record<string, string> {
  return route.kind === 'header' ? { [route.name]: route.value } : { cookie: `${route.name}=${route.value}` };
}

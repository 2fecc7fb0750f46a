import type { IncomingMessage } from 'node:http';
import { UfError } from '../core/errors.js';
import type { StickySource } from './types.js';

const tokenPattern = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Parses `header:NAME`, `cookie:NAME` or `ip` (the `--sticky` option). */
export function parseStickySource(spec: string): StickySource {
  if (spec === 'ip') return { kind: 'ip' };
  const colon = spec.indexOf(':');
  const kind = spec.slice(0, colon);
  const name = spec.slice(colon + 1);
  if (colon > 0 && (kind === 'header' || kind === 'cookie') && tokenPattern.test(name)) {
    return { kind, name: kind === 'header' ? name.toLowerCase() : name };
  }
  throw new UfError('usage', `--sticky must be header:NAME, cookie:NAME or ip, not '${spec}'`);
}

export function describeStickySource(source: StickySource | undefined): string {
  if (!source) return 'none';
  return source.kind === 'ip' ? 'ip' : `${source.kind}:${source.name}`;
}

/** The first value of a header (node joins most repeated headers already). */
export function headerValue(req: IncomingMessage, lowerName: string): string | undefined {
  const value = req.headers[lowerName];
  if (value === undefined || typeof value === 'string') return value;
  return value[0];
}

/**
 * The value of one cookie in a Cookie header, without parsing the others: this runs on every
 * request. Values are compared raw (no URL decoding), as browsers send them back as they were set.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  let start = 0;
  while (start < header.length) {
    while (header.charCodeAt(start) === 32) start++;
    const end = header.indexOf(';', start);
    const stop = end === -1 ? header.length : end;
    if (header.startsWith(name, start) && header.charCodeAt(start + name.length) === 61 /* = */) {
      let value = header.slice(start + name.length + 1, stop).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      return value;
    }
    if (end === -1) return undefined;
    start = end + 1;
  }
  return undefined;
}

/** The sticky key of a request, or undefined when it carries none (it is then placed at random). */
export function stickyKey(req: IncomingMessage, source: StickySource | undefined): string | undefined {
  if (!source) return undefined;
  if (source.kind === 'ip') return req.socket.remoteAddress;
  if (source.kind === 'header') {
    const value = headerValue(req, source.name);
    return value === '' ? undefined : value;
  }
  const value = readCookie(headerValue(req, 'cookie'), source.name);
  return value === '' ? undefined : value;
}

import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientResponseHeaders, clientResponseHeadersFromRaw, upstreamRequestHeaders } from './headers.js';

function request(rawHeaders: string[], remoteAddress = '192.0.2.10'): IncomingMessage {
  const headers: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) headers[rawHeaders[i]!.toLowerCase()] = rawHeaders[i + 1]!;
  return { rawHeaders, headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

const pairs = (flat: Array<string | string[]>): Array<[string, string | string[]]> => {
  const out: Array<[string, string | string[]]> = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i] as string, flat[i + 1]!]);
  return out;
};

describe('upstreamRequestHeaders', () => {
  it('drops hop-by-hop fields and those Connection names, and keeps end-to-end ones', () => {
    const req = request([
      'Host', 'shop.example', 'Connection', 'keep-alive, X-Secret-Hop', 'Keep-Alive', 'timeout=5', 'Proxy-Connection', 'keep-alive',
      'TE', 'trailers', 'Trailer', 'Expires', 'Upgrade', 'h2c', 'X-Secret-Hop', '1', 'Accept', 'text/html', 'Cookie', 'a=1', 'Expect', '100-continue',
    ]);
    expect(pairs(upstreamRequestHeaders(req, '127.0.0.1:8081', false))).toEqual([
      ['Accept', 'text/html'],
      ['Cookie', 'a=1'],
      ['host', '127.0.0.1:8081'],
      ['x-forwarded-for', '192.0.2.10'],
      ['x-forwarded-proto', 'http'],
      ['x-forwarded-host', 'shop.example'],
      ['via', '1.1 uf-proxy'],
    ]);
  });

  it('extends X-Forwarded-For and Via from earlier hops and replaces client-sent proto and host', () => {
    const req = request(['X-Forwarded-For', '203.0.113.1', 'x-forwarded-for', '10.1.1.1', 'X-Forwarded-Proto', 'gopher', 'Via', '1.0 edge']);
    const headers = new Map(pairs(upstreamRequestHeaders(req, 'up', false)));
    expect(headers.get('x-forwarded-for')).toBe('203.0.113.1, 10.1.1.1, 192.0.2.10');
    expect(headers.get('x-forwarded-proto')).toBe('http');
    expect(headers.get('via')).toBe('1.0 edge, 1.1 uf-proxy');
  });

  it('keeps the upgrade handshake for WebSocket requests', () => {
    const req = request(['Connection', 'Upgrade', 'Upgrade', 'websocket', 'Sec-WebSocket-Key', 'k']);
    const headers = pairs(upstreamRequestHeaders(req, 'up', true));
    expect(headers).toContainEqual(['connection', 'upgrade']);
    expect(headers).toContainEqual(['upgrade', 'websocket']);
    expect(headers).toContainEqual(['Sec-WebSocket-Key', 'k']);
  });
});

describe('clientResponseHeaders', () => {
  it('drops hop-by-hop fields from the response and adds Via', () => {
    const out = clientResponseHeaders({
      connection: 'x-internal',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      trailer: 'x-checksum',
      'x-internal': 'secret',
      'content-type': 'application/json',
      'set-cookie': ['a=1', 'b=2'],
    });
    expect(pairs(out)).toEqual([
      ['content-type', 'application/json'],
      ['set-cookie', ['a=1', 'b=2']],
      ['via', '1.1 uf-proxy'],
    ]);
  });
});

describe('clientResponseHeadersFromRaw', () => {
  const raw = (flat: string[]) => flat.map((text) => Buffer.from(text, 'latin1'));

  it('drops hop-by-hop fields and those Connection names, keeps repeated fields, lower-cases names', () => {
    const out = clientResponseHeadersFromRaw(
      raw(['Connection', 'X-Internal, keep-alive', 'Keep-Alive', 'timeout=5', 'Transfer-Encoding', 'chunked', 'Trailer', 'x-checksum', 'X-Internal', 'secret', 'Content-Type', 'application/json', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'X-Custom-Thing', 'v']),
    );
    expect(pairs(out)).toEqual([
      ['content-type', 'application/json'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['x-custom-thing', 'v'],
      ['via', '1.1 uf-proxy'],
    ]);
  });

  it('extends Via from the upstream, joining repeated fields, and keeps latin1 bytes as they are', () => {
    const out = new Map(pairs(clientResponseHeadersFromRaw([...raw(['Via', '1.0 a', 'via', '1.1 b']), Buffer.from('X-Name'), Buffer.from([0x63, 0x61, 0x66, 0xe9])])));
    expect(out.get('via')).toBe('1.0 a, 1.1 b, 1.1 uf-proxy');
    expect(out.get('x-name')).toBe('caf\u00e9');
  });

  it('reads the Connection list from every Connection field', () => {
    const out = pairs(clientResponseHeadersFromRaw(raw(['Connection', 'x-a', 'X-A', '1', 'Connection', 'X-B', 'x-b', '2', 'x-c', '3'])));
    expect(out).toEqual([
      ['x-c', '3'],
      ['via', '1.1 uf-proxy'],
    ]);
  });
});

import http from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxy, type RunningProxy } from '../../src/proxy/server.js';
import { send, startStack, type Stack } from './helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

describe('hop-by-hop headers (RFC 9110 §7.6.1)', () => {
  it('strips them from the request, with those Connection names, and adds X-Forwarded-* and Via', async () => {
    // Raw bytes: HTTP clients refuse to send several of these fields at all.
    const reply = await rawExchange(
      stack.proxy.url,
      [
        'GET /headers HTTP/1.1',
        'Host: shop.example',
        'Connection: close, X-Hop-Secret',
        'Keep-Alive: timeout=30',
        'Proxy-Connection: keep-alive',
        'TE: trailers',
        'Trailer: x-checksum',
        'Upgrade: h2c',
        'X-Hop-Secret: do not forward',
        'X-End-To-End: forward me',
        'X-Forwarded-For: 203.0.113.9',
        '',
        '',
      ].join('\r\n'),
    );
    const seen = (JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)) as { headers: Record<string, string> }).headers;
    for (const name of ['keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade', 'x-hop-secret', 'transfer-encoding']) expect(seen, name).not.toHaveProperty(name);
    expect(seen.connection ?? 'keep-alive').toBe('keep-alive');
    expect(seen['x-end-to-end']).toBe('forward me');
    expect(seen['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen['x-forwarded-host']).toBe('shop.example');
    expect(seen.via).toBe('1.1 uf-proxy');
    expect(seen.host).toBe(new URL(stack.stable.url).host);
  });

  it('strips them from the response and adds Via', async () => {
    const upstream = http.createServer((_req, res) => {
      res.writeHead(200, { connection: 'x-internal', 'keep-alive': 'timeout=9', 'x-internal': 'secret', trailer: 'x-sum', upgrade: 'h2c', 'content-type': 'text/plain', 'proxy-connection': 'keep-alive' });
      res.end('ok');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const proxy: RunningProxy = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, stable: url, canary: url });
    try {
      const answer = await send(`${proxy.url}/`);
      expect(answer.body).toBe('ok');
      for (const name of ['x-internal', 'trailer', 'upgrade', 'proxy-connection']) expect(answer.headers, name).not.toHaveProperty(name);
      expect(answer.headers['keep-alive']).not.toBe('timeout=9');
      expect(answer.headers.via).toBe('1.1 uf-proxy');
      expect(answer.headers['content-type']).toBe('text/plain');
    } finally {
      await proxy.close();
      upstream.closeAllConnections();
      upstream.close();
    }
  });

  it('passes repeated response headers such as Set-Cookie through intact', async () => {
    const upstream = http.createServer((_req, res) => {
      res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/']);
      res.end('ok');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const proxy = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, stable: url, canary: url });
    try {
      expect((await send(`${proxy.url}/`)).headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    } finally {
      await proxy.close();
      upstream.closeAllConnections();
      upstream.close();
    }
  });
});

/** Sends raw request bytes and returns everything the server sent until it closed. */
function rawExchange(url: string, text: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let reply = '';
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString('latin1')));
    socket.on('end', () => resolve(reply));
    socket.on('error', reject);
  });
}

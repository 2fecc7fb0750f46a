import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSampleService } from '../../src/proxy/sample-service.js';
import { startProxy, type RunningProxy } from '../../src/proxy/server.js';
import { send } from './helpers.js';

const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (stops.length > 0) await stops.pop()!();
});

async function proxyAtFullCanary(canaryUrl?: string, timeouts?: { responseMs?: number; deadlineMs?: number }, connectionsPerUpstream?: number): Promise<RunningProxy> {
  const stable = await startSampleService({ version: 'v1' });
  stops.push(() => stable.close());
  let canary = canaryUrl;
  if (canary === undefined) {
    const service = await startSampleService({ version: 'v2' });
    stops.push(() => service.close());
    canary = service.url;
  }
  const proxy = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, stable: stable.url, canary, canaryWeight: 100, timeouts, connectionsPerUpstream });
  stops.push(() => proxy.close());
  return proxy;
}

/** Writes raw bytes to the proxy and returns everything it answers until it closes the connection. */
function rawExchange(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(port), hostname, () => socket.write(bytes));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
    socket.setTimeout(5_000, () => socket.destroy(new Error(`no answer; got so far: ${JSON.stringify(text)}`)));
  });
}

/** A TCP server run by `onConnection`, on 127.0.0.1; closed after the test. */
async function tcpServer(onConnection: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const charged = (proxy: RunningProxy) => {
  const { canary, stable } = proxy.control.stats().variants;
  return { canary5xx: canary.total.byClass['5xx'], stable5xx: stable.total.byClass['5xx'], canaryErrors: Object.values(canary.total.upstreamErrors).reduce((a, b) => a + b, 0) };
};

describe('requests the client spoiled are not counted against a version', () => {
  it('refuses OPTIONS * with 400 and counts it as a client error, not as a canary 5xx', async () => {
    const proxy = await proxyAtFullCanary();
    const answer = await rawExchange(proxy.url, 'OPTIONS * HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(charged(proxy)).toEqual({ canary5xx: 0, stable5xx: 0, canaryErrors: 0 });
    expect(proxy.control.stats().clientErrors.bad_target).toBe(1);
    expect(proxy.control.stats().variants.canary.total.requests).toBe(0);
  });

  it('forwards an absolute-form target by its path, and refuses CONNECT with 405', async () => {
    const proxy = await proxyAtFullCanary();
    const absolute = await rawExchange(proxy.url, 'GET http://shop.example/cart?x=1 HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n');
    expect(absolute).toMatch(/^HTTP\/1\.1 200 /);
    expect(absolute).toContain('"path":"/cart"');
    const tunnel = await rawExchange(proxy.url, 'CONNECT shop.example:443 HTTP/1.1\r\nHost: shop.example:443\r\n\r\n');
    expect(tunnel).toMatch(/^HTTP\/1\.1 405 /);
    expect(charged(proxy)).toEqual({ canary5xx: 0, stable5xx: 0, canaryErrors: 0 });
    expect(proxy.control.stats().clientErrors.bad_target).toBe(1);
  });

  it('counts a malformed request and oversized headers as client errors', async () => {
    const proxy = await proxyAtFullCanary();
    expect(await rawExchange(proxy.url, 'GET / HTTP/1.1\r\nHost: shop\r\nBad Header: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect(await rawExchange(proxy.url, `GET / HTTP/1.1\r\nHost: shop\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431 /);
    expect(proxy.control.stats().clientErrors).toMatchObject({ malformed_request: 1, header_too_large: 1 });
    expect(charged(proxy)).toEqual({ canary5xx: 0, stable5xx: 0, canaryErrors: 0 });
  });

  it('counts a client that hangs up before its answer as a client error, not a canary failure', async () => {
    const slow = await startSampleService({ version: 'v2', latencyMs: 2_000 });
    stops.push(() => slow.close());
    const proxy = await proxyAtFullCanary(slow.url);
    const { hostname, port } = new URL(proxy.url);
    const socket = connect(Number(port), hostname, () => socket.write('GET /slow HTTP/1.1\r\nHost: shop\r\n\r\n'));
    socket.on('error', () => undefined);
    await expect.poll(() => proxy.control.stats().variants.canary.inFlight).toBe(1);
    socket.destroy();
    await expect.poll(() => proxy.control.stats().variants.canary.inFlight).toBe(0);
    expect(proxy.control.stats().clientErrors.client_aborted).toBe(1);
    expect(charged(proxy)).toEqual({ canary5xx: 0, stable5xx: 0, canaryErrors: 0 });
  });

  it('shows the client errors on /metrics', async () => {
    const stable = await startSampleService({ version: 'v1' });
    stops.push(() => stable.close());
    const proxy = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 }, stable: stable.url, canary: stable.url });
    stops.push(() => proxy.close());
    await rawExchange(proxy.url, 'OPTIONS * HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n');
    const metrics = (await send(`${proxy.adminUrl!}/metrics`)).body;
    expect(metrics).toMatch(/^uf_proxy_client_errors_total\{reason="bad_target"\} 1$/m);
    expect(metrics).toMatch(/^uf_proxy_requests_total\{variant="canary",class="5xx"\} 0$/m);
  });
});

describe('a response cut off mid-body', () => {
  it('is counted as a canary error (5xx, truncated, body_error), not as a 2xx', async () => {
    // Promises 1,000 bytes, sends 10, then dies.
    const cutting = await tcpServer((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 1000\r\nx-version: v2\r\n\r\n0123456789');
        setTimeout(() => socket.destroy(), 50);
      });
    });
    const proxy = await proxyAtFullCanary(cutting);
    const answer = await send(`${proxy.url}/download`).catch((error: unknown) => error);
    expect(answer).toBeInstanceOf(Error);
    await expect.poll(() => proxy.control.stats().variants.canary.inFlight).toBe(0);
    const total = proxy.control.stats().variants.canary.total;
    expect(total.byClass['2xx']).toBe(0);
    expect(total.byClass['5xx']).toBe(1);
    expect(total.truncated).toBe(1);
    expect(total.upstreamErrors.body_error).toBe(1);
    expect(proxy.control.stats().variants.canary.windows['10s'].errorRate).toBe(1);
    expect(proxy.control.stats().clientErrors.client_aborted).toBe(0);
  });
});

describe('the end-to-end deadline', () => {
  it('answers every request queued behind busy connections to a hung canary with 504 within the deadline', { timeout: 20_000 }, async () => {
    // Accepts connections and reads requests, never answers.
    const hung = await tcpServer((socket) => socket.resume());
    // Two connections to the canary, eight requests: six wait for a connection that never frees up.
    const proxy = await proxyAtFullCanary(hung, { responseMs: 10_000, deadlineMs: 500 }, 2);
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const answer = await send(`${proxy.url}/hang`);
        return { status: answer.status, body: answer.body, ms: Date.now() - started };
      }),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(504);
      expect(answer.body).toBe('uf proxy: no answer from the canary version within the request deadline\n');
      // 500 ms deadline; generous slack for a loaded machine, far below the 10 s upstream timeout.
      expect(answer.ms).toBeLessThan(4_000);
    }
    expect(proxy.control.stats().variants.canary.total.upstreamErrors.deadline).toBe(8);
    expect(proxy.control.stats().variants.canary.total.byClass['5xx']).toBe(8);
    await expect.poll(() => proxy.control.stats().variants.canary.inFlight).toBe(0);
  });

  it('charges nothing to the canary for a queued request whose client left before the deadline', { timeout: 20_000 }, async () => {
    const hung = await tcpServer((socket) => socket.resume());
    const proxy = await proxyAtFullCanary(hung, { responseMs: 10_000, deadlineMs: 800 }, 1);
    const { hostname, port } = new URL(proxy.url);
    const sockets = [0, 1].map(() => {
      const socket = connect(Number(port), hostname, () => socket.write('GET /hang HTTP/1.1\r\nHost: shop\r\n\r\n'));
      socket.on('error', () => undefined);
      return socket;
    });
    await expect.poll(() => proxy.control.stats().variants.canary.inFlight).toBe(2);
    // The second request waits for the only connection; its client gives up.
    sockets[1]!.destroy();
    await expect.poll(() => proxy.control.stats().variants.canary.total.upstreamErrors.deadline, { timeout: 5_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(proxy.control.stats().clientErrors.client_aborted).toBe(1);
    expect(proxy.control.stats().variants.canary.total.upstreamErrors.deadline).toBe(1);
    expect(proxy.control.stats().variants.canary.total.byClass['5xx']).toBe(1);
    sockets[0]!.destroy();
  });
});

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A small shop for journey tests, on 127.0.0.1 at a free port: `POST /login` answers a token
 * (and an `x-session` header), `GET /orders/:id` answers the order to a bearer of that token,
 * `GET /flaky` fails its first call, `GET /away` redirects to another host, `GET /` is a page
 * with a form for browser steps. `version` is echoed in every JSON answer; `broken` makes
 * `/orders/:id` answer 500, as a bad canary would.
 */
export interface ShopServer {
  url: string;
  hits: Array<{ method: string; path: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

const page = `<!doctype html><html><body>
<input id="name"><button id="go" onclick="document.getElementById('out').textContent = 'Hello ' + document.getElementById('name').value">Go</button>
<p id="out"></p></body></html>`;

export async function startShop(options: { version?: string; broken?: boolean; delayMs?: number } = {}): Promise<ShopServer> {
  const hits: ShopServer['hits'] = [];
  let flakyCalls = 0;
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://shop').pathname;
    hits.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify({ version: options.version ?? 'v1', ...(body as object) }));
    };
    const answer = () => {
      if (req.method === 'POST' && path === '/login') return json(200, { token: 'tok-123', user: { id: 7 } }, { 'x-session': 'sess-9' });
      const order = /^\/orders\/(\w+)$/.exec(path);
      if (order) {
        if (options.broken) return json(500, { error: 'database unavailable' });
        if (req.headers.authorization !== 'Bearer tok-123') return json(401, { error: 'no token' });
        return json(200, { order: { id: order[1], status: 'paid' } });
      }
      if (path === '/flaky') return (flakyCalls += 1) === 1 ? json(503, { error: 'warming up' }) : json(200, { ok: true });
      if (path === '/away') {
        res.writeHead(302, { location: 'http://other-host.invalid/steal' });
        return res.end();
      }
      if (path === '/here') {
        res.writeHead(302, { location: '/orders/here' });
        return res.end();
      }
      if (path === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end(page);
      }
      return json(404, { error: 'not found' });
    };
    req.resume();
    req.on('end', () => (options.delayMs ? setTimeout(answer, options.delayMs) : answer()));
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The journey the tests share, as factory.yaml would state it: log in, capture the token, read an order with it. */
export const checkoutJourney = {
  name: 'checkout',
  service: 'shop',
  steps: [
    { name: 'login', method: 'POST', url: '/login', body: { user: 'probe' }, capture: { authToken: '$.token', userId: '$.user.id', session: 'header:x-session' }, expect: { status: 200 } },
    {
      name: 'order',
      url: '/orders/${userId}',
      headers: { authorization: 'Bearer ${authToken}' },
      expect: { status: 200, bodyContains: 'paid', json: [{ path: '$.order.id', equals: '7' }, { path: '$.order.status', exists: true }], maxLatency: '5s' },
    },
  ],
};

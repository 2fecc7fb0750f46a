/**
 * The "Node ceiling" of `npm run bench:proxy`: the least a Node.js reverse proxy can do, in a
 * process of its own (`node --import tsx bench/proxy-node-ceiling.ts PORT UPSTREAM_ORIGIN`):
 * node:http in front of one undici pool, each response streamed back through a dispatch handler,
 * with no routing, no metering and no header filtering. The built-in router does the same plus
 * its own work, so their ratio is what that work costs.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import { Pool, type Dispatcher } from 'undici';

const [port, target] = process.argv.slice(2);
if (port === undefined || target === undefined) throw new Error('usage: proxy-node-ceiling.ts PORT UPSTREAM_ORIGIN');
const pool = new Pool(target, { connections: 128, keepAliveTimeout: 30_000 });

class Forward implements Dispatcher.DispatchHandler {
  constructor(private readonly res: http.ServerResponse) {}
  onRequestStart(): void {}
  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    const { connection: _connection, 'keep-alive': _keepAlive, 'transfer-encoding': _te, ...rest } = headers;
    this.res.writeHead(statusCode, rest);
  }
  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.res.write(chunk);
  }
  onResponseEnd(): void {
    this.res.end();
  }
  onResponseError(): void {
    if (!this.res.headersSent) this.res.writeHead(502).end();
    else this.res.destroy();
  }
}

const server = http.createServer((req, res) => {
  const { connection: _connection, host: _host, ...headers } = req.headers;
  pool.dispatch({ path: req.url ?? '/', method: (req.method ?? 'GET') as Dispatcher.HttpMethod, headers: headers as Record<string, string>, body: null }, new Forward(res));
});
server.keepAliveTimeout = 65_000;
server.listen(Number(port), '127.0.0.1');

const stop = () => {
  server.close();
  server.closeAllConnections();
  void pool.destroy();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

/**
 * The node-http-proxy reference for `npm run bench:proxy`, in a process of its own:
 * `node --import tsx bench/proxy-http-proxy.ts PORT UPSTREAM_ORIGIN`. It forwards everything to
 * one upstream through a keep-alive agent (without one, node-http-proxy opens a connection per
 * request and sends `Connection: close`), which is how it is run in front of real traffic.
 */
import http from 'node:http';
import httpProxy from 'http-proxy';

const [port, target] = process.argv.slice(2);
if (port === undefined || target === undefined) throw new Error('usage: proxy-http-proxy.ts PORT UPSTREAM_ORIGIN');

const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
const proxy = httpProxy.createProxyServer({ target, agent, xfwd: true });
proxy.on('error', (_error, _req, res) => {
  if (res instanceof http.ServerResponse && !res.headersSent) res.writeHead(502).end();
  else res.destroy();
});

const server = http.createServer((req, res) => proxy.web(req, res));
server.keepAliveTimeout = 65_000;
server.listen(Number(port), '127.0.0.1');

const stop = () => {
  server.close();
  server.closeAllConnections();
  agent.destroy();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

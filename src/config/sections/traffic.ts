import { kindUnionError } from '../issues.js';
import { z } from 'zod';

/**
 * `traffic:` in factory.yaml: which traffic router fronts which service. The settings of each
 * router kind live here, not in `src/traffic/`, because config sits below the stages: the traffic
 * registry (`src/traffic/registry.ts`) and the routers import these schemas, never the reverse.
 */

const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'HOST:PORT, e.g. 127.0.0.1:8080');
const service = z.string().min(1).describe('catalog name of the service the router fronts');

/** A built-in router that `uf serve` runs in its worker thread (the same as `uf proxy`). */
export const builtinRouterSettingsSchema = z
  .object({
    service,
    listen: hostPort.describe('address the router listens on for the service’s traffic'),
    stable: z.url().describe('stable upstream URL'),
    canary: z.url().describe('canary upstream URL'),
    baseline: z.url().optional().describe('baseline upstream URL: a fresh deployment of the stable version that gets the canary’s share, for a fair comparison (optional)'),
    canaryWeight: z.number().int().min(0).max(100).default(0).describe('percent of requests sent to the canary at start'),
    sticky: z.string().regex(/^(header:[^\s]+|cookie:[^\s]+|ip)$/, 'header:NAME, cookie:NAME or ip').optional().describe('keeps a user on one side: header:NAME, cookie:NAME or ip'),
    admin: hostPort.optional().describe('admin API address (token from UF_ADMIN_TOKEN; required beyond loopback)'),
    deadlineMs: z.number().int().positive().optional().describe('end-to-end limit to the response headers, ms (connect + upstream timeout by default)'),
  })
  .strict();

/** HAProxy proxy, server and map names as uf accepts them: no spaces or CLI separators. */
const haproxyName = z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'expected letters, digits, "_", ".", ":" or "-"');

/** What `createHaproxyRouter` needs to drive a running HAProxy (see its README for haproxy.cfg). */
export const haproxyRouterOptionsSchema = z.object({
  runtimeApi: z.string().min(1).describe('the runtime API socket (`stats socket … level admin`): a unix socket path or host:port'),
  backend: haproxyName.describe('the backend that holds both servers'),
  servers: z
    .object({ stable: haproxyName, canary: haproxyName, baseline: haproxyName.optional() })
    .strict()
    .describe('names of the stable, canary and (optional) baseline `server` lines of the backend'),
  routeMap: z.string().regex(/^[^\s;\\]+$/, 'expected a file path without spaces, ";" or "\\"').describe('map file of the tester route, spelled as in haproxy.cfg'),
  timeoutMs: z.number().int().positive().optional().describe('per runtime API call, ms (5000 by default)'),
});

const nginxAddress = z.string().regex(/^[^\s;{}'"$#\\]+$/, 'expected an nginx server address (no spaces, quotes, ";", "{", "}", "$", "#")');
const nginxBlockName = z.string().regex(/^[a-z0-9_]{1,48}$/, 'expected lower-case letters, digits or "_"');

/** What `createNginxRouter` needs: the include file uf owns and the running nginx it reloads. */
export const nginxRouterOptionsSchema = z.object({
  service: nginxBlockName.describe('names the generated blocks and variables (uf_<service>_upstream)'),
  stable: nginxAddress.describe('stable `server` address, e.g. 10.0.0.1:8080 or unix:/run/app.sock'),
  canary: nginxAddress.describe('canary `server` address'),
  baseline: nginxAddress.optional().describe('baseline `server` address (optional): the stable version, deployed fresh, with the canary’s share'),
  statusListen: z.string().regex(/^(?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port').describe('loopback host:port of the status endpoint rendered into the include file'),
  includeFile: z.string().min(1).describe('the include file uf owns, included from the http block of nginx.conf'),
  nginx: z
    .object({
      binary: z.string().min(1).optional(),
      config: z.string().min(1),
      prefix: z.string().min(1).optional(),
      errorLog: z.string().min(1).optional(),
      pidFile: z.string().min(1),
    })
    .strict()
    .describe('the running nginx: binary, config, prefix and errorLog as its master was started with, and its pidFile'),
  reloadTimeoutMs: z.number().int().positive().optional().describe('how long a reload may take to show, ms (10000 by default)'),
});

/** A router in front of a service behind HAProxy: its runtime API settings. */
export const haproxyRouterSettingsSchema = haproxyRouterOptionsSchema.extend({ service }).strict();

/**
 * A router in front of a service behind nginx. `blockName` is nginx's `service` option: catalog
 * names may hold characters nginx variable names cannot, so the two are kept apart.
 */
export const nginxRouterSettingsSchema = nginxRouterOptionsSchema
  .omit({ service: true })
  .extend({ service, blockName: nginxBlockName.describe('names the generated nginx blocks and variables (uf_<blockName>_upstream)') })
  .strict();

/** Every router kind, with the settings schema its entries are validated by. */
const trafficRouterSettingsSchemas = {
  builtin: builtinRouterSettingsSchema,
  haproxy: haproxyRouterSettingsSchema,
  nginx: nginxRouterSettingsSchema,
} as const;

export type TrafficRouterKind = keyof typeof trafficRouterSettingsSchemas;
export const trafficRouterKinds = Object.keys(trafficRouterSettingsSchemas) as TrafficRouterKind[];


/** One entry of `traffic.routers`: `kind` chooses the router, and the rest is that kind's settings. */
export const trafficRouterSchema = z.discriminatedUnion(
  'kind',
  [
    builtinRouterSettingsSchema.extend({ kind: z.literal('builtin') }).strict(),
    haproxyRouterSettingsSchema.extend({ kind: z.literal('haproxy') }).strict(),
    nginxRouterSettingsSchema.extend({ kind: z.literal('nginx') }).strict(),
  ],
  { error: kindUnionError('router', trafficRouterKinds) },
);

export type TrafficRouterConfig = z.output<typeof trafficRouterSchema>;

export const trafficSchema = z
  .object({
    routers: z
      .array(trafficRouterSchema)
      .default([])
      .describe('the router in front of each service: kind builtin (uf serve runs it), haproxy or nginx (uf drives a running one), with that kind’s settings'),
    proxies: z
      .array(builtinRouterSettingsSchema)
      .default([])
      .describe('built-in routers that uf serve runs: the same as traffic.routers entries of kind builtin (the older spelling, still read)'),
  })
  .strict()
  .prefault({});

export type TrafficConfig = z.output<typeof trafficSchema>;

/** A configured router and the key path it was written at (for messages and line numbers). */
export interface TrafficRouterEntry {
  router: TrafficRouterConfig;
  path: ['traffic', 'routers' | 'proxies', number];
}

/** Every configured router: `traffic.routers` in order, then `traffic.proxies` as kind builtin. */
export function trafficRouterEntries(traffic: TrafficConfig): TrafficRouterEntry[] {
  return [
    ...traffic.routers.map((router, index): TrafficRouterEntry => ({ router, path: ['traffic', 'routers', index] })),
    ...traffic.proxies.map((proxy, index): TrafficRouterEntry => ({ router: { kind: 'builtin', ...proxy }, path: ['traffic', 'proxies', index] })),
  ];
}

/**
 * Cross-references inside `traffic:`: one router per service across both lists (which router
 * fronts a service must be unambiguous; several `traffic.proxies` for one service stay allowed,
 * as before `traffic.routers` existed), and no two built-in routers on one listen address.
 */
export function checkTrafficSection(traffic: TrafficConfig, ctx: z.RefinementCtx): void {
  const entries = trafficRouterEntries(traffic);
  const label = (path: TrafficRouterEntry['path']) => `${path[0]}.${path[1]}[${path[2]}]`;
  const fronted = new Map<string, TrafficRouterEntry['path']>();
  for (const { router, path } of entries) {
    const earlier = fronted.get(router.service.toLowerCase());
    if (earlier && (path[1] === 'routers' || earlier[1] === 'routers')) {
      ctx.addIssue({ code: 'custom', path: [...path, 'service'], message: `service '${router.service}' already has a router: ${label(earlier)}` });
    } else if (!earlier) fronted.set(router.service.toLowerCase(), path);
  }
  const listens = new Map<string, TrafficRouterEntry['path']>();
  // traffic.proxies first, so an existing file keeps the message it had.
  for (const { router, path } of [...entries.filter((e) => e.path[1] === 'proxies'), ...entries.filter((e) => e.path[1] === 'routers')]) {
    if (router.kind !== 'builtin') continue;
    const earlier = listens.get(router.listen);
    if (earlier) ctx.addIssue({ code: 'custom', path: [...path, 'listen'], message: `${router.listen} is already the listen address of ${label(earlier)}` });
    else listens.set(router.listen, path);
  }
}

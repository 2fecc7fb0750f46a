import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { roles as allRoles } from '../../core/roles.js';
import { readLog, verifyLog } from '../../store/repos/operation-log.js';
import { UfError } from '../../core/errors.js';
import { listCheckpoints, loadTree, proveEntry } from '../../store/repos/log-proofs.js';
import { verifyStateRows } from '../../store/repos/state-seals.js';
import { defaultPageSize, pageLimit, queryInteger, queryObject, queryText } from '../query.js';
import { errorResponse, logEntrySchema as baseEntrySchema, verifySchema } from '../schemas.js';
import type { ServerDeps } from '../server.js';

/** Entries with their state seal and pruning mark, which their hash covers and a verifier needs. */
const logEntrySchema = baseEntrySchema.extend({
  seal: z.string().optional().describe('state seal: "<upgrade|change> <sha-256> <summary>"'),
  pruned: z.object({ at: z.string(), leafHash: z.string() }).optional().describe('set when retention pruned the content; the leaf hash stays'),
});

const hex = z.string().describe('hex SHA-256');
const checkpointSchema = z.object({
  id: z.string(),
  origin: z.string(),
  treeSize: z.number(),
  rootHash: hex,
  at: z.string(),
  keyName: z.string(),
  keyId: z.string(),
  note: z.string().describe('the signed checkpoint as published (C2SP tlog-checkpoint in a signed note)'),
  writtenTo: z.string().nullable(),
});
const sizeQuery = queryInteger('size', { min: 1, max: Number.MAX_SAFE_INTEGER });
// Reading proofs is what auditors are for; every role may (GET routes are open to all roles).
const readers = { roles: allRoles };

export function registerLogRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/log',
    {
      schema: {
        tags: ['log'],
        summary: 'Operation-log entries in order, a page at a time',
        querystring: queryObject({
          after: queryInteger('after', { min: 0, max: Number.MAX_SAFE_INTEGER }).optional().describe('return entries with seq greater than this (the next value of the previous page)'),
          limit: pageLimit,
          subject: queryText('subject').optional(),
        }),
        response: { 200: z.object({ entries: z.array(logEntrySchema), next: z.number().nullable().describe('after value of the next page; null on the last page') }), 400: errorResponse },
      },
    },
    async (request) => {
      const { after, limit = defaultPageSize, subject } = request.query;
      // One range query on the primary key (or (subject, seq)) from `after`: a deep page costs what the first one does.
      const entries = [];
      for await (const entry of readLog(deps.store.db, { ...(subject !== undefined ? { subject } : {}), after: after ?? 0, pageSize: limit + 1 })) {
        entries.push(entry);
        if (entries.length > limit) break;
      }
      const page = entries.slice(0, limit);
      return { entries: page, next: entries.length > limit ? page.at(-1)!.seq : null };
    },
  );

  api.get('/api/v1/log/verify', { schema: { tags: ['log'], summary: 'Check the hash chain', response: { 200: verifySchema } } }, async () => verifyLog(deps.store.db));

  api.get(
    '/api/v1/log/state',
    {
      config: readers,
      schema: {
        tags: ['log'],
        summary: 'Compare upgrades and changes (with approvals) with the state sealed by their latest log entries',
        response: { 200: z.object({ ok: z.boolean(), checked: z.number(), unsealed: z.number(), findings: z.array(z.object({ kind: z.string(), id: z.string(), problem: z.string(), seq: z.number().optional(), detail: z.string() })) }) },
      },
    },
    async () => verifyStateRows(deps.store.db),
  );

  api.get(
    '/api/v1/log/tree',
    { config: readers, schema: { tags: ['log'], summary: 'The Merkle tree head (RFC 6962) of the log, or of its first `size` entries', querystring: queryObject({ size: sizeQuery.optional() }), response: { 200: z.object({ treeSize: z.number(), rootHash: hex }), 400: errorResponse, 404: errorResponse } } },
    async (request) => {
      const { tree } = await loadTree(deps.store.db);
      const size = request.query.size ?? tree.size;
      if (size > tree.size) throw new UfError('not_found', `the log holds ${tree.size} entries, not ${size}`);
      return { treeSize: size, rootHash: tree.root(size).toString('hex') };
    },
  );

  api.get(
    '/api/v1/log/checkpoints',
    { config: readers, schema: { tags: ['log'], summary: 'Signed checkpoints published with uf log checkpoint, newest first', querystring: queryObject({ limit: pageLimit }), response: { 200: z.object({ checkpoints: z.array(checkpointSchema) }), 400: errorResponse } } },
    async (request) => ({ checkpoints: await listCheckpoints(deps.store.db, request.query.limit ?? defaultPageSize) }),
  );

  api.get(
    '/api/v1/log/checkpoints/latest',
    { config: readers, schema: { tags: ['log'], summary: 'The latest signed checkpoint', response: { 200: checkpointSchema, 404: errorResponse } } },
    async () => {
      const latest = (await listCheckpoints(deps.store.db, 1))[0];
      if (!latest) throw new UfError('not_found', 'no checkpoint was published yet (uf log checkpoint)');
      return latest;
    },
  );

  api.get(
    '/api/v1/log/proof/inclusion/:seq',
    {
      config: readers,
      schema: {
        tags: ['log'],
        summary: 'Inclusion proof of one entry in the tree of `size` entries (default: the whole log)',
        params: z.object({ seq: queryInteger('seq', { min: 1, max: Number.MAX_SAFE_INTEGER }) }),
        querystring: queryObject({ size: sizeQuery.optional() }),
        response: { 200: z.object({ entry: logEntrySchema, leafIndex: z.number(), treeSize: z.number(), rootHash: hex, leafHash: hex, path: z.array(hex) }), 400: errorResponse, 404: errorResponse },
      },
    },
    async (request) => {
      const proof = await proveEntry(deps.store.db, request.params.seq, request.query.size);
      if (!proof) throw new UfError('not_found', `no entry ${request.params.seq} in a tree of ${request.query.size ?? 'the current'} size`);
      return proof;
    },
  );

  api.get(
    '/api/v1/log/proof/consistency',
    {
      config: readers,
      schema: {
        tags: ['log'],
        summary: 'Consistency proof (RFC 6962) that the tree of `from` entries is a prefix of the tree of `to` entries (default: the whole log)',
        querystring: queryObject({ from: queryInteger('from', { min: 0, max: Number.MAX_SAFE_INTEGER }), to: sizeQuery.optional() }),
        response: { 200: z.object({ from: z.number(), to: z.number(), fromRoot: hex, toRoot: hex, proof: z.array(hex) }), 400: errorResponse, 404: errorResponse },
      },
    },
    async (request) => {
      const { tree } = await loadTree(deps.store.db);
      const to = request.query.to ?? tree.size;
      const from = request.query.from;
      if (to > tree.size || from > to) throw new UfError('not_found', `need from <= to <= ${tree.size} (the log's size); got from ${from}, to ${to}`);
      return { from, to, fromRoot: tree.root(from).toString('hex'), toRoot: tree.root(to).toString('hex'), proof: tree.consistencyProof(from, to).map((h) => h.toString('hex')) };
    },
  );
}

/**
 * npm run bench:api-pages — a page deep in a 200,000-row list against the first page of the same
 * list (the reference), through the REST API (Fastify inject, token check included), on SQLite
 * and on PostgreSQL. Keyset paging should make the two cost the same: the ratio deep/first should
 * stay near 1 however deep the page is. Before, /api/v1/log?after=199990&limit=1 took 15 s.
 * PostgreSQL uses UF_BENCH_DATABASE_URL, else UF_TEST_DATABASE_URL; it is skipped, saying so, when neither is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { buildServer } from '../src/api/server.js';
import { encodeCursor } from '../src/api/paging.js';
import { parseConfig } from '../src/config/load.js';
import { openStore, type Store } from '../src/store/open.js';
import { createToken } from '../src/store/repos/tokens.js';

const total = Number(process.env.UF_BENCH_ENTRIES ?? 200_000);
const rounds = 30;
const limit = 100;

/** Rows written in one statement, unchained (seq 2 onwards): the bench measures reading pages, not appending. */
async function fill(store: Store): Promise<void> {
  const numbers = store.dialect === 'sqlite'
    ? sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${total}) select i from n`
    : sql`select i from generate_series(1, ${total}) as i`;
  await sql`insert into oplog (seq, at, actor, action, subject, reason, evidence_ref, prev_hash, hash)
    select i + 1, '2026-01-01T00:00:00.000Z', 'user:bench', 'evidence.analysis', 'upg_' || (i % 97), 'p95 within limits', null, '', '' from (${numbers}) as n`.execute(store.db);
  // Findings sorted by service, environment, name, advisory, id: 1,000 services x 2 environments x 100 packages.
  await sql`insert into findings (id, advisory_id, service, environment, purl, ecosystem, name, version, direct, fixed_in, status, first_seen_at, updated_at)
    select 'fnd_' || i, 'GHSA-' || (i % 7), 'svc' || (100000 + i / 200), case when i % 2 = 0 then 'production' else 'staging' end,
           'pkg:npm/p' || (100 + (i / 2) % 100) || '@1.0.0', 'npm', 'p' || (100 + (i / 2) % 100), '1.0.0', 1, '[]', 'open',
           '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' from (${numbers}) as n`.execute(store.db);
  if (store.dialect === 'postgres') await sql`analyze`.execute(store.db);
}

async function median(run: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

async function measure(store: Store, label: string): Promise<void> {
  // The token's log entry is seq 1; the filled rows follow it.
  const { secret } = await createToken(store, { name: 'bench', role: 'viewer', actor: 'bench' });
  const t0 = performance.now();
  await fill(store);
  const fillMs = performance.now() - t0;
  const app = await buildServer({ store, config: parseConfig('version: 1\nname: bench\n', 'bench.yaml') });
  const headers = { authorization: `Bearer ${secret}` };
  const get = (url: string) => async () => {
    const response = await app.inject({ url, headers });
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  };
  // The cursor of a page near the end of the findings, found once, outside the timing.
  const deep = await store.db.selectFrom('findings').select(['service', 'environment', 'name', 'advisory_id', 'id'])
    .orderBy('service').orderBy('environment').orderBy('name').orderBy('advisory_id').orderBy('id').offset(total - limit - 10).limit(1).executeTakeFirstOrThrow();
  const cursor = encodeCursor('findings', [deep.service, deep.environment, deep.name, deep.advisory_id, deep.id]);
  try {
    console.log(`\n${label} (${total.toLocaleString('en-US')} rows each, filled in ${(fillMs / 1000).toFixed(1)} s; median of ${rounds}, limit=${limit})`);
    for (const [name, first, deepUrl] of [
      ['log', `/api/v1/log?limit=${limit}`, `/api/v1/log?after=${total - limit - 10}&limit=${limit}`],
      ['log, one subject', `/api/v1/log?subject=upg_5&limit=${limit}`, `/api/v1/log?subject=upg_5&after=${total - 97 * limit - 10}&limit=${limit}`],
      ['findings', `/api/v1/findings?limit=${limit}`, `/api/v1/findings?limit=${limit}&cursor=${cursor}`],
    ] as const) {
      const firstMs = await median(get(first));
      const deepMs = await median(get(deepUrl));
      console.log(`  ${name}: deep page ${deepMs.toFixed(2)} ms; reference, first page ${firstMs.toFixed(2)} ms; ratio deep/first = ${(deepMs / firstMs).toFixed(2)}x`);
    }
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'uf-bench-pages-'));
  const sqlite = await openStore({ sqlitePath: join(dir, 'factory.db') });
  try {
    await measure(sqlite, 'SQLite');
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const url = process.env.UF_BENCH_DATABASE_URL ?? process.env.UF_TEST_DATABASE_URL;
  if (!url) {
    console.log('\nPostgreSQL: skipped (set UF_BENCH_DATABASE_URL or UF_TEST_DATABASE_URL)');
    return;
  }
  const schema = `uf_bench_pages_${process.pid}`;
  const postgres = await openStore({ url, schema });
  try {
    await measure(postgres, 'PostgreSQL');
  } finally {
    await postgres.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  }
}

await main();

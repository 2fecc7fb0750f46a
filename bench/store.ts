/**
 * npm run bench:store — append 100,000 operation-log entries and verify the chain, on SQLite and
 * on PostgreSQL. Each figure is printed beside a reference measured in the same run:
 *  - append: the same rows inserted raw (no chaining, no hashing) in the same batch size;
 *  - verify: reading the same rows and hashing each once, without the chain checks.
 * PostgreSQL uses UF_BENCH_DATABASE_URL, else UF_TEST_DATABASE_URL; it is skipped, saying so, when neither is set.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { appendLog, readLog, verifyLog } from '../src/store/repos/operation-log.js';
import { openStore, type Store } from '../src/store/open.js';

const total = Number(process.env.UF_BENCH_ENTRIES ?? 100_000);
const batch = 1000;
const singles = 2000;

function entry(i: number) {
  return { actor: `user:bench-${i % 7}`, action: 'evidence.analysis', subject: `upg_${i % 97}`, reason: `p95 ${100 + (i % 50)} ms within 250 ms at 25%`, evidenceRef: `ev_${i}` };
}

async function measure(store: Store) {
  const t0 = performance.now();
  for (let i = 0; i < total; i += batch) {
    await store.db.transaction().execute((trx) => appendLog(trx, Array.from({ length: batch }, (_, k) => entry(i + k)), store.clock.now()));
  }
  const appendMs = performance.now() - t0;

  const t1 = performance.now();
  for (let i = 0; i < singles; i++) await store.db.transaction().execute((trx) => appendLog(trx, [entry(i)], store.clock.now()));
  const singleMs = performance.now() - t1;

  const t2 = performance.now();
  const report = await verifyLog(store.db);
  const verifyMs = performance.now() - t2;
  if (!report.ok || report.entries !== total + singles) throw new Error(`verification failed: ${JSON.stringify(report)}`);

  // Reference for verify: read every row and hash it once, with no chain logic.
  const t3 = performance.now();
  let hashed = 0;
  for await (const e of readLog(store.db)) {
    createHash('sha256').update(e.reason).digest('hex');
    hashed++;
  }
  const readHashMs = performance.now() - t3;

  // Reference for append: insert the same number of rows raw, in the same batches.
  await sql`create table bench_raw (seq integer primary key, at text, actor text, action text, subject text, reason text, evidence_ref text, prev_hash text, hash text)`.execute(store.db);
  const t4 = performance.now();
  const now = new Date().toISOString();
  for (let i = 0; i < total; i += batch) {
    await store.db.transaction().execute(async (trx) => {
      const rows = Array.from({ length: batch }, (_, k) => ({ seq: i + k + 1, at: now, ...entry(i + k), evidence_ref: `ev_${i + k}`, prev_hash: '', hash: '' }));
      for (let j = 0; j < rows.length; j += 500) {
        await trx
          .insertInto('bench_raw' as 'oplog')
          .values(rows.slice(j, j + 500).map(({ evidenceRef: _e, ...r }) => r))
          .execute();
      }
    });
  }
  const rawMs = performance.now() - t4;
  return { appendMs, singleMs, verifyMs, readHashMs, rawMs, hashed };
}

function rate(count: number, ms: number): string {
  return `${Math.round(count / (ms / 1000)).toLocaleString('en-US')}/s`;
}

function print(dialect: string, r: Awaited<ReturnType<typeof measure>>): void {
  const verified = total + singles;
  console.log(`\n${dialect}`);
  console.log(`  append, ${batch} per transaction: ${rate(total, r.appendMs)} (${(r.appendMs / 1000).toFixed(2)} s for ${total.toLocaleString('en-US')})`);
  console.log(`    reference, raw insert of the same rows: ${rate(total, r.rawMs)}; ratio ours/raw = ${(r.rawMs / r.appendMs).toFixed(2)}x`);
  console.log(`  append, 1 per transaction: ${rate(singles, r.singleMs)} (${singles} entries)`);
  console.log(`  verify chain: ${rate(verified, r.verifyMs)} (${(r.verifyMs / 1000).toFixed(2)} s for ${verified.toLocaleString('en-US')})`);
  console.log(`    reference, read + one hash per row: ${rate(r.hashed, r.readHashMs)}; ratio ours/reference = ${(r.readHashMs / r.verifyMs).toFixed(2)}x`);
}

async function main(): Promise<void> {
  console.log(`operation log: ${total.toLocaleString('en-US')} batched appends + ${singles} single appends, then verify`);
  const dir = mkdtempSync(join(tmpdir(), 'uf-bench-'));
  const sqlite = await openStore({ sqlitePath: join(dir, 'factory.db') });
  try {
    const r = await measure(sqlite);
    print('SQLite (WAL, synchronous=NORMAL)', r);
    const target = 100_000;
    const verifyRate = (total + singles) / (r.verifyMs / 1000);
    console.log(`  target: verify > ${target.toLocaleString('en-US')}/s on SQLite: ${verifyRate > target ? 'met' : 'NOT met'}`);
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const url = process.env.UF_BENCH_DATABASE_URL ?? process.env.UF_TEST_DATABASE_URL;
  if (!url) {
    console.log('\nPostgreSQL: skipped (set UF_BENCH_DATABASE_URL or UF_TEST_DATABASE_URL)');
    return;
  }
  const schema = `uf_bench_${process.pid}`;
  const postgres = await openStore({ url, schema });
  try {
    print('PostgreSQL', await measure(postgres));
  } finally {
    await postgres.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  }
}

await main();

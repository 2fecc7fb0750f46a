import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import { openStore, type Store } from '../../src/store/open.js';
import { runUf } from '../helpers/cli.js';
import { upgradeAtCompat } from '../helpers/upgrades.js';

describe('uf log: keys, checkpoints, proofs, exports, retention (built CLI)', { timeout: 120_000 }, () => {
  let dir: string;
  const uf = (...args: string[]) => runUf(args, { cwd: dir });
  const withDb = async <T>(fn: (store: Store) => Promise<T>): Promise<T> => {
    const store = await openStore({ sqlitePath: join(dir, '.uf', 'factory.db'), clock: fixedClock('2025-06-01T12:00:00.000Z') });
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-log-cli-'));
    writeFileSync(join(dir, 'factory.yaml'), 'version: 1\nname: audit-cli\naudit:\n  origin: cli.test/log\n  retention:\n    keep: 30d\n');
    await withDb(async (store) => {
      const clock = fixedClock('2025-06-01T12:00:00.000Z');
      await upgradeAtCompat(store, { clock, name: 'lodash' });
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a key pair with a private file only its owner can read, and never prints the key', async () => {
    const result = await uf('log', 'keygen', '--out', 'keys', '--name', 'cli.test/log');
    expect(result.code).toBe(0);
    expect(statSync(join(dir, 'keys', 'log-key.pem')).mode & 0o777).toBe(0o600);
    expect(result.stdout + result.stderr).not.toContain('PRIVATE KEY');
    expect(readFileSync(join(dir, 'keys', 'log-key.pub'), 'utf8')).toMatch(/^cli\.test\/log\+[0-9a-f]{8}\+/);
    expect((await uf('log', 'keygen', '--out', 'keys')).code).toBe(2);
  });

  it('publishes a checkpoint that verify proves the log still contains, and checks inclusion proofs', async () => {
    const published = await uf('log', 'checkpoint', '--key', 'keys/log-key.pem', '--out', 'cp.txt');
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).not.toContain('PRIVATE');
    expect(readFileSync(join(dir, 'cp.txt'), 'utf8')).toMatch(/^cli\.test\/log\n\d+\n[A-Za-z0-9+/=]{44}\ntime .*\n\n— cli\.test\/log /s);
    const verified = await uf('log', 'verify', '--checkpoint', 'cp.txt', '--public-key', 'keys/log-key.pub');
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('is consistent with the log');

    const proof = await uf('log', 'prove', '3', '--checkpoint', 'cp.txt');
    expect(proof.code, proof.stderr).toBe(0);
    writeFileSync(join(dir, 'proof.json'), proof.stdout);
    expect((await uf('log', 'verify', '--proof', 'proof.json', '--checkpoint', 'cp.txt', '--public-key', 'keys/log-key.pub')).code).toBe(0);
    expect((await uf('log', 'verify', '--proof', 'proof.json')).code).toBe(0);
    const forged = JSON.parse(proof.stdout) as { entry: { reason: string } };
    forged.entry.reason = 'something else';
    writeFileSync(join(dir, 'forged.json'), JSON.stringify(forged));
    const refused = await uf('log', 'verify', '--proof', 'forged.json', '--checkpoint', 'cp.txt', '--public-key', 'keys/log-key.pub');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('PROOF FAILED: entry 3 does not match its own hash');
  });

  it('exports approvals of a period as CSV and JSONL with their proofs', async () => {
    const csv = await uf('log', 'export', '--what', 'approvals', '--format', 'csv', '--from', '2025-06-01', '--to', '2025-06-02');
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('id,changeId,by,role,decision,reason,scopeDigest,at,voidedAt,voidReason,logSeq,logHash,logSeal,leafIndex,inclusionProof');
    expect(lines.length).toBe(3);
    expect(JSON.parse(csv.stderr)).toMatchObject({ type: 'proof', what: 'approvals', checkpoint: expect.stringContaining('cli.test/log') });
    const jsonl = await uf('log', 'export', '--what', 'log', '--from', '2025-06-01T00:00:00Z', '--to', '2025-06-02T00:00:00Z');
    const [header, first] = jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(header).toMatchObject({ type: 'proof', treeSize: expect.any(Number), rootHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(first).toMatchObject({ entry: { seq: 1 }, leafIndex: 0, inclusionProof: expect.any(Array) });
    expect(jsonl.stdout).not.toMatch(/secret_hash|secretHash/);
    expect((await uf('log', 'export', '--what', 'tokens')).code).toBe(2);
  });

  it('prunes old entries into an archive and every check still passes', async () => {
    const pruned = await uf('log', 'prune');
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toMatch(/pruned \d+ entries/);
    expect(readdirSync(join(dir, '.uf', 'log-archive'))).toHaveLength(1);
    const verified = await uf('log', 'verify', '--checkpoint', 'cp.txt', '--public-key', 'keys/log-key.pub');
    expect(verified.code, verified.stdout).toBe(0);
  });

  it('reports a state row edited by raw SQL, and a bad checkpoint signature', async () => {
    const id = await withDb(async (store) => {
      const row = await store.db.selectFrom('upgrades').select('id').executeTakeFirstOrThrow();
      await sql`update upgrades set state = 'done' where id = ${row.id}`.execute(store.db);
      return row.id;
    });
    const verified = await uf('log', 'verify');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(`STATE EDITED: upgrade ${id} was changed without a log entry`);
    await withDb((store) => sql`update upgrades set state = 'compat' where id = ${id}`.execute(store.db));
    expect((await uf('log', 'verify')).code).toBe(0);

    const text = readFileSync(join(dir, 'cp.txt'), 'utf8').split('\n');
    text[1] = String(Number(text[1]) + 1);
    writeFileSync(join(dir, 'bad.txt'), text.join('\n'));
    const bad = await uf('log', 'verify', '--checkpoint', 'bad.txt', '--public-key', 'keys/log-key.pub');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('BAD SIGNATURE');
  });

  it('reports a truncated log with the entries that are gone', async () => {
    const size = Number(readFileSync(join(dir, 'cp.txt'), 'utf8').split('\n')[1]);
    await withDb(async (store) => {
      await store.db.deleteFrom('oplog').where('seq', '>', size - 2).execute();
      const last = await store.db.selectFrom('oplog').select(['seq', 'hash']).orderBy('seq', 'desc').executeTakeFirstOrThrow();
      await store.db.updateTable('oplog_head').set({ seq: last.seq, hash: last.hash }).execute();
    });
    const verified = await uf('log', 'verify', '--checkpoint', 'cp.txt', '--public-key', 'keys/log-key.pub');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(`CHECKPOINT TRUNCATED: the log was truncated: the checkpoint covers ${size} entries, the log holds ${size - 2}; entries ${size - 1}..${size} are gone`);
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkSignature, parseCheckpoint, parseVerifierKey, verifierKeyText } from '../../src/audit/checkpoint.js';
import { csvRow } from '../../src/audit/export.js';
import { verifyInclusion } from '../../src/audit/merkle.js';
import { fixedClock } from '../../src/core/clock.js';
import { openStore, type Store } from '../../src/store/open.js';
import { exportPeriod } from '../../src/store/repos/audit-export.js';
import { checkAgainstCheckpoint, proveEntry, publishCheckpoint } from '../../src/store/repos/log-proofs.js';
import { prunableEntries, pruneEntries } from '../../src/store/repos/log-retention.js';
import { appendLog, readLog, verifyLog } from '../../src/store/repos/operation-log.js';
import { verifyStateRows } from '../../src/store/repos/state-seals.js';
import { upgradeAtCompat } from '../helpers/upgrades.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const origin = 'factory.test/log';

describe('audit proofs on a real SQLite store', () => {
  let dir: string;
  let store: Store;
  let clock: ReturnType<typeof fixedClock>;

  beforeEach(async () => {
    clock = fixedClock('2030-01-10T10:00:00.000Z');
    dir = mkdtempSync(join(tmpdir(), 'uf-audit-'));
    store = await openStore({ sqlitePath: join(dir, 'factory.db'), clock });
    await upgradeAtCompat(store, { clock, name: 'lodash' });
    clock.advance(86_400_000);
    await upgradeAtCompat(store, { clock, name: 'express', service: 'payments' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const publish = async () => (await publishCheckpoint(store, { origin, keyName: origin, privateKey, actor: 'user:auditor', writtenTo: null })).signed;
  const entryCount = async () => Number((await sql<{ n: number }>`select count(*) as n from oplog`.execute(store.db)).rows[0]!.n);
  /** Re-hashes the chain from `from` on, as a careful attacker with database access would. */
  async function rechain(from: number): Promise<void> {
    const rows = await store.db.selectFrom('oplog').selectAll().where('seq', '>=', from).orderBy('seq').execute();
    await store.db.deleteFrom('oplog').where('seq', '>=', from).execute();
    await store.db.updateTable('oplog_head').set({ seq: from - 1, hash: (await store.db.selectFrom('oplog').select('hash').where('seq', '=', from - 1).executeTakeFirstOrThrow()).hash }).execute();
    await store.db.transaction().execute(async (tx) => {
      for (const r of rows) await appendLog(tx, [{ actor: r.actor, action: r.action, subject: r.subject, reason: r.reason, evidenceRef: r.evidence_ref, at: r.at }], new Date(r.at), { seal: false });
    });
  }

  it('seals upgrades and approvals, and finds a state edited or an approval inserted by raw SQL', async () => {
    const clean = await verifyStateRows(store.db);
    expect(clean).toMatchObject({ ok: true, unsealed: 0 });
    expect(clean.checked).toBe(4); // two upgrades, two changes
    const upgrade = await store.db.selectFrom('upgrades').select('id').where('name', '=', 'lodash').executeTakeFirstOrThrow();
    await sql`update upgrades set state = 'done', weight = 100 where id = ${upgrade.id}`.execute(store.db);
    const change = await store.db.selectFrom('change_requests').select('id').where('upgrade_id', '=', upgrade.id).executeTakeFirstOrThrow();
    await sql`insert into change_approvals (id, change_id, by, role, decision, reason, scope_digest, at) values ('apr_forged', ${change.id}, 'user:mallory', 'approver', 'approve', null, 'x', '2030-01-10T10:00:00.000Z')`.execute(store.db);
    const tampered = await verifyStateRows(store.db);
    expect(tampered.ok).toBe(false);
    expect(tampered.findings.map((f) => [f.kind, f.id, f.problem])).toEqual([
      ['upgrade', upgrade.id, 'edited'],
      ['change', change.id, 'edited'],
    ]);
    expect(tampered.findings[0]!.detail).toMatch(/state=done weight=100 .*sealed state=compat/);
    // The hash chain alone sees nothing wrong: only the seals catch it.
    expect((await verifyLog(store.db)).ok).toBe(true);
  });

  it('finds a state row with no log entry at all, and approvals of a change that does not exist', async () => {
    await sql`insert into upgrades (id, ecosystem, name, purl, from_versions, target_version, services, change_class, state, weight, created_by, created_at, updated_at, version, post_review_required, members)
      values ('upg_forged', 'npm', 'left-pad', 'pkg:npm/left-pad', '["1.0.0"]', '1.1.0', '["checkout"]', 'standard', 'done', 100, 'user:mallory', '2030-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z', 1, 0, '[]')`.execute(store.db);
    await sql`insert into change_approvals (id, change_id, by, role, decision, reason, scope_digest, at) values ('apr_orphan', 'chg_nothing', 'user:mallory', 'approver', 'approve', null, 'x', '2030-01-10T10:00:00.000Z')`.execute(store.db);
    const report = await verifyStateRows(store.db);
    expect(report.findings.map((f) => [f.id, f.problem])).toEqual([['upg_forged', 'unlogged'], ['chg_nothing', 'unlogged']]);
  });

  it('signs a checkpoint that verifies, and rejects it when altered or checked with another key', async () => {
    const signed = await publish();
    const key = parseVerifierKey(verifierKeyText(origin, publicKey));
    const parsed = parseCheckpoint(signed.text);
    expect(parsed.checkpoint.size).toBe((await entryCount()) - 1); // its own log entry comes after it
    expect(checkSignature(parsed, key)).toEqual({ ok: true });
    const altered = parseCheckpoint(signed.text.replace(`\n${parsed.checkpoint.size}\n`, `\n${parsed.checkpoint.size - 1}\n`));
    expect(checkSignature(altered, key)).toMatchObject({ ok: false });
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(checkSignature(parsed, parseVerifierKey(verifierKeyText(origin, other)))).toMatchObject({ ok: false });
    expect((await checkAgainstCheckpoint(store.db, parsed.checkpoint)).ok).toBe(true);
  });

  it('proves a grown log consistent with the checkpoint, and detects truncation', async () => {
    const { checkpoint } = parseCheckpoint((await publish()).text);
    await upgradeAtCompat(store, { clock, name: 'react', service: 'web' });
    const grown = await checkAgainstCheckpoint(store.db, checkpoint);
    expect(grown).toMatchObject({ ok: true, checkpointSize: checkpoint.size });
    expect(grown.consistencyProof!.length).toBeGreaterThan(0);

    // Truncate past the checkpoint and fix the head up, so the chain check alone is satisfied.
    const keepUpTo = checkpoint.size - 3;
    await store.db.deleteFrom('oplog').where('seq', '>', keepUpTo).execute();
    const last = await store.db.selectFrom('oplog').select(['seq', 'hash']).where('seq', '=', keepUpTo).executeTakeFirstOrThrow();
    await store.db.updateTable('oplog_head').set({ seq: last.seq, hash: last.hash }).execute();
    expect((await verifyLog(store.db)).ok).toBe(true);
    const verdict = await checkAgainstCheckpoint(store.db, checkpoint);
    expect(verdict).toMatchObject({ ok: false, problem: 'truncated', entries: { from: keepUpTo + 1, to: checkpoint.size } });
  });

  it('detects a rewritten suffix even when the chain was re-hashed', async () => {
    const { checkpoint } = parseCheckpoint((await publish()).text);
    const size = checkpoint.size;
    // Rewrite the suffix: the last two covered entries replaced, then everything re-chained.
    await sql`update oplog set reason = 'nothing happened' where seq = ${size - 1}`.execute(store.db);
    await rechain(size - 1);
    expect((await verifyLog(store.db)).ok).toBe(true);
    const suffix = await checkAgainstCheckpoint(store.db, checkpoint);
    expect(suffix).toMatchObject({ ok: false, problem: 'rewritten' });
    expect(suffix.entries!.from).toBeLessThanOrEqual(size - 1);
    expect(suffix.entries!.to).toBeGreaterThanOrEqual(size - 1);
  });

  it('names the range of a rewritten middle entry', async () => {
    const { checkpoint } = parseCheckpoint((await publish()).text);
    await sql`update oplog set actor = 'user:nobody' where seq = 3`.execute(store.db);
    // Without re-hashing, the chain names the entry itself.
    expect((await verifyLog(store.db)).firstBroken).toMatchObject({ seq: 3, problem: 'edited' });
    await rechain(3);
    expect((await verifyLog(store.db)).ok).toBe(true);
    const verdict = await checkAgainstCheckpoint(store.db, checkpoint);
    expect(verdict).toMatchObject({ ok: false, problem: 'rewritten' });
    expect(verdict.entries!.from).toBe(1);
    expect(verdict.entries!.to).toBeGreaterThanOrEqual(3);
    expect(verdict.detail).toContain(`entries 1..${verdict.entries!.to} were rewritten`);
  });

  it('gives inclusion proofs that verify against the tree root', async () => {
    const proof = (await proveEntry(store.db, 5))!;
    expect(proof.entry.seq).toBe(5);
    expect(verifyInclusion(Buffer.from(proof.leafHash, 'hex'), proof.leafIndex, proof.treeSize, proof.path.map((h) => Buffer.from(h, 'hex')), Buffer.from(proof.rootHash, 'hex'))).toBe(true);
    expect(await proveEntry(store.db, 10_000)).toBeUndefined();
  });

  it('exports a period of approvals with the entries that recorded them and their proofs', async () => {
    await publish();
    const { header, rows } = await exportPeriod(store.db, { from: '2030-01-11T00:00:00.000Z', to: '2030-01-12T00:00:00.000Z', what: 'approvals' });
    expect(header.checkpoint).toContain(origin);
    const all = [];
    for await (const row of rows) all.push(row);
    expect(all.length).toBe(2); // the express upgrade's two board approvals, not lodash's of the day before
    for (const row of all) {
      expect(row.entry!.action).toBe('change.approve');
      expect(row.entry!.actor).toBe(row.record.by);
      expect(verifyInclusion(Buffer.from((await proveEntry(store.db, row.entry!.seq))!.leafHash, 'hex'), row.leafIndex!, header.treeSize, row.inclusionProof.map((h) => Buffer.from(h, 'hex')), Buffer.from(header.rootHash, 'hex'))).toBe(true);
    }
  });

  it('quotes CSV fields and defuses formulas', () => {
    expect(csvRow(['a,b', 'say "hi"', 'two\nlines', '=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', 'plain', null])).toBe(
      '"a,b","say ""hi""","two\nlines","\'=HYPERLINK(""x"")","\'+1","\'-2","\'@SUM(A1)",plain,\n',
    );
  });

  it('prunes old entries a checkpoint covers without breaking the chain, the checkpoint or the seals', async () => {
    const { checkpoint } = parseCheckpoint((await publish()).text);
    const { entries } = await prunableEntries(store, '2030-01-11T00:00:00.000Z');
    expect(entries.length).toBeGreaterThan(3);
    expect(entries.every((e) => e.at < '2030-01-11T00:00:00.000Z')).toBe(true);
    await pruneEntries(store, entries);
    const first = (await readLog(store.db)[Symbol.asyncIterator]().next()).value!;
    expect(first).toMatchObject({ actor: '', reason: '', pruned: { leafHash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect((await verifyLog(store.db)).ok).toBe(true);
    expect((await checkAgainstCheckpoint(store.db, checkpoint)).ok).toBe(true);
    expect((await verifyStateRows(store.db)).ok).toBe(true);
    // Content put back on a pruned entry is caught.
    await sql`update oplog set reason = 'forged' where seq = 1`.execute(store.db);
    expect((await verifyLog(store.db)).firstBroken).toMatchObject({ seq: 1, problem: 'edited' });
  });
});

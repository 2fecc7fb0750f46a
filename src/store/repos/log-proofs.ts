import { canonicalEntry, type LogEntry } from '../../audit/chain.js';
import { signCheckpoint, type Checkpoint, type SignedCheckpoint } from '../../audit/checkpoint.js';
import { MerkleTree, leafHash, verifyConsistency } from '../../audit/merkle.js';
import { newId } from '../../core/ids.js';
import { UfError } from '../../core/errors.js';
import type { KeyObject } from 'node:crypto';
import type { Db } from '../db.js';
import type { Store } from '../open.js';
import { appendLog, readLog } from './operation-log.js';

/** The Merkle leaf of an entry: over its canonical bytes, or the leaf hash retention kept. */
export function entryLeaf(entry: LogEntry): Buffer {
  return entry.pruned ? Buffer.from(entry.pruned.leafHash, 'hex') : leafHash(canonicalEntry(entry));
}

/**
 * The log as a Merkle tree (leaf i = entry seq i+1). A gap in the seqs makes a tree that means
 * nothing, so it is reported as such (the chain check names the missing entry).
 */
export async function loadTree(db: Db): Promise<{ tree: MerkleTree; gapAt?: number }> {
  const leaves: Buffer[] = [];
  for await (const entry of readLog(db)) {
    if (entry.seq !== leaves.length + 1) return { tree: new MerkleTree(leaves), gapAt: leaves.length + 1 };
    leaves.push(entryLeaf(entry));
  }
  return { tree: new MerkleTree(leaves) };
}

export interface CheckpointRecord {
  id: string;
  origin: string;
  treeSize: number;
  rootHash: string;
  at: string;
  keyName: string;
  keyId: string;
  note: string;
  writtenTo: string | null;
}

/**
 * Signs the log's current tree and records the checkpoint, then logs that it did (that entry is
 * the first one the next checkpoint covers). One transaction, so the size signed is the size read.
 */
export async function publishCheckpoint(store: Store, input: { origin: string; keyName: string; privateKey: KeyObject; actor: string; writtenTo: string | null }): Promise<{ signed: SignedCheckpoint; record: CheckpointRecord }> {
  const now = store.clock.now();
  return store.db.transaction().execute(async (tx) => {
    const { tree, gapAt } = await loadTree(tx);
    if (gapAt !== undefined) throw new UfError('conflict', `entry ${gapAt} is missing from the log: run uf log verify before publishing a checkpoint`);
    const checkpoint: Checkpoint = { origin: input.origin, size: tree.size, root: tree.root(), time: now.toISOString(), frontier: tree.frontier() };
    const signed = signCheckpoint(checkpoint, input.keyName, input.privateKey);
    const record: CheckpointRecord = {
      id: newId('ckp'),
      origin: checkpoint.origin,
      treeSize: checkpoint.size,
      rootHash: checkpoint.root.toString('hex'),
      at: checkpoint.time,
      keyName: input.keyName,
      keyId: signed.signatures[0]!.keyId.toString('hex'),
      note: signed.text,
      writtenTo: input.writtenTo,
    };
    await tx
      .insertInto('log_checkpoints')
      .values({ id: record.id, origin: record.origin, tree_size: record.treeSize, root_hash: record.rootHash, at: record.at, key_name: record.keyName, key_id: record.keyId, note: record.note, written_to: record.writtenTo })
      .execute();
    await appendLog(tx, [{ actor: input.actor, action: 'log.checkpoint', subject: 'log', reason: `checkpoint of ${record.treeSize} entries, root ${record.rootHash}, signed by ${record.keyName}+${record.keyId}`, evidenceRef: record.id }], now);
    return { signed, record };
  });
}

export async function listCheckpoints(db: Db, limit = 100): Promise<CheckpointRecord[]> {
  const rows = await db.selectFrom('log_checkpoints').selectAll().orderBy('tree_size', 'desc').orderBy('at', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, origin: r.origin, treeSize: Number(r.tree_size), rootHash: r.root_hash, at: r.at, keyName: r.key_name, keyId: r.key_id, note: r.note, writtenTo: r.written_to }));
}

export interface CheckpointVerdict {
  ok: boolean;
  checkpointSize: number;
  logSize: number;
  /** Hex consistency proof from the checkpoint's size to the log's, when the log still holds it. */
  consistencyProof?: string[];
  problem?: 'truncated' | 'rewritten' | 'gap';
  /** The entries the rewrite is in: the checkpoint's frontier subtree that no longer matches. */
  entries?: { from: number; to: number };
  detail: string;
}

/**
 * Does the log still contain everything `checkpoint` covered? The checkpoint's signature is the
 * caller's to check first; this proves consistency from its tree to the log's current tree.
 */
export async function checkAgainstCheckpoint(db: Db, checkpoint: Checkpoint): Promise<CheckpointVerdict> {
  const { tree, gapAt } = await loadTree(db);
  const base = { checkpointSize: checkpoint.size, logSize: tree.size };
  if (gapAt !== undefined && gapAt <= checkpoint.size) return { ...base, ok: false, problem: 'gap', entries: { from: gapAt, to: gapAt }, detail: `entry ${gapAt} is missing from the log (the checkpoint covers entries 1..${checkpoint.size})` };
  if (tree.size < checkpoint.size) {
    return { ...base, ok: false, problem: 'truncated', entries: { from: tree.size + 1, to: checkpoint.size }, detail: `the log was truncated: the checkpoint covers ${checkpoint.size} entries, the log holds ${tree.size}; entries ${tree.size + 1}..${checkpoint.size} are gone` };
  }
  const proof = tree.consistencyProof(checkpoint.size);
  if (verifyConsistency(checkpoint.size, tree.size, checkpoint.root, tree.root(), proof)) {
    return { ...base, ok: true, consistencyProof: proof.map((h) => h.toString('hex')), detail: `the log (${tree.size} entries) contains the ${checkpoint.size} entries the checkpoint covered, unchanged` };
  }
  const current = tree.frontier(checkpoint.size);
  const changed = checkpoint.frontier.find((part, i) => !current[i] || current[i]!.start !== part.start || !current[i]!.hash.equals(part.hash));
  const entries = changed ? { from: changed.start + 1, to: changed.start + changed.size } : { from: 1, to: checkpoint.size };
  return {
    ...base,
    ok: false,
    problem: 'rewritten',
    entries,
    detail: `the log no longer contains what the checkpoint covered: entries ${entries.from}..${entries.to} were rewritten (the first ${checkpoint.size} entries hash to ${tree.root(checkpoint.size).toString('hex').slice(0, 16)}…, the checkpoint says ${checkpoint.root.toString('hex').slice(0, 16)}…)`,
  };
}

/** An inclusion proof for one entry, in a form `uf log verify --proof` and outsiders can check. */
export interface InclusionProof {
  entry: LogEntry;
  leafIndex: number;
  treeSize: number;
  rootHash: string;
  leafHash: string;
  path: string[];
  /** The signed checkpoint the tree size and root come from, when one was asked for. */
  checkpoint?: string;
}

export async function proveEntry(db: Db, seq: number, size?: number): Promise<InclusionProof | undefined> {
  const { tree, gapAt } = await loadTree(db);
  const treeSize = size ?? (gapAt !== undefined ? gapAt - 1 : tree.size);
  if (seq < 1 || seq > treeSize || treeSize > tree.size) return undefined;
  let entry: LogEntry | undefined;
  for await (const e of readLog(db, { after: seq - 1, pageSize: 1 })) {
    entry = e;
    break;
  }
  if (!entry) return undefined;
  return {
    entry,
    leafIndex: seq - 1,
    treeSize,
    rootHash: tree.root(treeSize).toString('hex'),
    leafHash: tree.leaf(seq - 1).toString('hex'),
    path: tree.inclusionProof(seq - 1, treeSize).map((h) => h.toString('hex')),
  };
}

import { createHash } from 'node:crypto';

/** One operation-log entry: who decided what, about which subject, why, on which evidence. */
export interface LogEntry {
  seq: number;
  /** ISO-8601 UTC with milliseconds. */
  at: string;
  actor: string;
  action: string;
  subject: string;
  reason: string;
  evidenceRef: string | null;
  prevHash: string;
  hash: string;
  /**
   * The state the entry left behind, for entries about a sealed row (an upgrade, a change and its
   * approvals): `<kind> <sha-256 of the row's state> <summary>`. Covered by the hash, so a state
   * row edited without a new entry no longer matches its last seal (see seal.ts).
   */
  seal?: string;
  /**
   * Set when retention pruned the entry: its content is gone, its leaf hash (and its `hash`) stay,
   * so the chain still links and every Merkle root and proof still verifies.
   */
  pruned?: { at: string; leafHash: string };
}

export type NewLogEntry = Pick<LogEntry, 'actor' | 'action' | 'subject' | 'reason' | 'evidenceRef'> & { at?: string };

export const genesisHash = '0'.repeat(64);

/**
 * The canonical serialisation the hash covers: a JSON array in a fixed field order, so that the
 * same entry hashes the same in every language and no key-ordering rule is needed.
 */
export function canonicalEntry(entry: Omit<LogEntry, 'hash' | 'pruned'>): string {
  const fields = [entry.seq, entry.at, entry.actor, entry.action, entry.subject, entry.reason, entry.evidenceRef, entry.prevHash];
  // Entries written before seals existed keep their 8-field form, so their hashes do not change.
  return JSON.stringify(entry.seal === undefined ? fields : [...fields, entry.seal]);
}

export function hashEntry(entry: Omit<LogEntry, 'hash' | 'pruned'>): string {
  return createHash('sha256').update(canonicalEntry(entry)).digest('hex');
}

export function chainEntry(previous: { seq: number; hash: string } | undefined, entry: NewLogEntry & { seal?: string }, now: Date): LogEntry {
  const unhashed: Omit<LogEntry, 'hash'> = {
    seq: (previous?.seq ?? 0) + 1,
    at: entry.at ?? now.toISOString(),
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    reason: entry.reason,
    evidenceRef: entry.evidenceRef,
    prevHash: previous?.hash ?? genesisHash,
    ...(entry.seal !== undefined ? { seal: entry.seal } : {}),
  };
  return { ...unhashed, hash: hashEntry(unhashed) };
}

export type ChainBreak = { seq: number; problem: 'edited' | 'missing' | 'out_of_order' | 'truncated'; detail: string };

/** Checks entries in stored order against their predecessor; returns the first break or undefined. */
export class ChainVerifier {
  private previous: { seq: number; hash: string } | undefined;
  count = 0;

  check(entry: LogEntry): ChainBreak | undefined {
    const expectedSeq = (this.previous?.seq ?? 0) + 1;
    const expectedPrev = this.previous?.hash ?? genesisHash;
    this.count++;
    if (entry.seq > expectedSeq) {
      return { seq: expectedSeq, problem: 'missing', detail: `entry ${expectedSeq} is missing (the next stored entry is ${entry.seq})` };
    }
    // A pruned entry's content is gone; its stored hash still links it to its neighbours. Content
    // shown on an entry marked pruned was put there afterwards.
    if (entry.pruned && (entry.actor !== '' || entry.reason !== '' || entry.evidenceRef !== null)) {
      return { seq: entry.seq, problem: 'edited', detail: `entry ${entry.seq} is marked pruned but shows content: it was edited after pruning` };
    }
    if (!entry.pruned && entry.hash !== hashEntry(entry)) {
      return { seq: entry.seq, problem: 'edited', detail: `entry ${entry.seq} does not match its hash: its content was changed after it was written` };
    }
    if (entry.prevHash !== expectedPrev) {
      return {
        seq: entry.seq,
        problem: 'out_of_order',
        detail: `entry ${entry.seq} does not follow entry ${expectedSeq - 1}: its previous-hash differs (entries were removed, reordered or replaced)`,
      };
    }
    this.previous = { seq: entry.seq, hash: entry.hash };
    return undefined;
  }

  /** Compares the last verified entry with the recorded head, which catches a cut-off tail. */
  checkHead(head: { seq: number; hash: string } | undefined): ChainBreak | undefined {
    const last = this.previous;
    if (!head) return last ? { seq: last.seq, problem: 'truncated', detail: 'the chain head record is missing' } : undefined;
    if (!last || last.seq < head.seq) {
      const from = (last?.seq ?? 0) + 1;
      return { seq: from, problem: 'truncated', detail: `entries ${from}..${head.seq} are missing from the end of the log` };
    }
    if (last.seq !== head.seq || last.hash !== head.hash) {
      return { seq: last.seq, problem: 'edited', detail: `the chain head (entry ${head.seq}) does not match the last entry ${last.seq}` };
    }
    return undefined;
  }
}

import { createHash } from 'node:crypto';

/**
 * State rows tied to the log entries that produced them. When an entry is written about an
 * upgrade or a change, it carries a seal: the SHA-256 of the state that row (with its evidence or
 * approvals) has right then, in the same transaction. The seal is part of the entry's hash, so it
 * sits in the chain and the Merkle tree. Later, a row whose state no longer matches the seal of
 * its latest entry was changed without a log entry: by raw SQL, or by code that bypassed the log.
 *
 * What each seal covers is listed here, and only what every legitimate writer changes before it
 * logs: an upgrade's path state and its evidence (rollout gate approvals are evidence), and a
 * change's requester, implementer, scope digest and its approvals (with voids).
 */
export type SealKind = 'upgrade' | 'change';

export interface UpgradeState {
  id: string;
  state: string;
  weight: number;
  version: number;
  changeClass: string;
  services: string;
  fromVersions: string;
  targetVersion: string;
  members: string;
  postReviewRequired: number;
  createdBy: string;
  evidence: { id: string; kind: string; outcome: string; ref: string; summary: string; recordedBy: string; recordedAt: string }[];
}

export interface ChangeState {
  id: string;
  requestedBy: string;
  implementer: string;
  scopeDigest: string;
  approvals: { id: string; by: string; role: string; decision: string; reason: string | null; scopeDigest: string; at: string; voidedAt: string | null; voidReason: string | null }[];
}

export interface Seal {
  kind: SealKind;
  digest: string;
  /** A few readable facts the digest covers, for messages (`state=canary weight=5 ...`). */
  summary: string;
}

function digestOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

export function sealUpgrade(u: UpgradeState): Seal {
  const evidence = u.evidence.map((e) => [e.id, e.kind, e.outcome, e.ref, e.summary, e.recordedBy, e.recordedAt]);
  const digest = digestOf(['upgrade', u.id, u.state, u.weight, u.version, u.changeClass, u.services, u.fromVersions, u.targetVersion, u.members, u.postReviewRequired, u.createdBy, evidence]);
  return { kind: 'upgrade', digest, summary: `state=${u.state} weight=${u.weight} version=${u.version} evidence=${u.evidence.length}` };
}

export function sealChange(c: ChangeState): Seal {
  const approvals = [...c.approvals].sort((a, b) => a.id.localeCompare(b.id)).map((a) => [a.id, a.by, a.role, a.decision, a.reason, a.scopeDigest, a.at, a.voidedAt, a.voidReason]);
  const digest = digestOf(['change', c.id, c.requestedBy, c.implementer, c.scopeDigest, approvals]);
  const live = c.approvals.filter((a) => a.voidedAt === null).length;
  return { kind: 'change', digest, summary: `approvals=${c.approvals.length} live=${live} implementer=${c.implementer}` };
}

/** The text an entry carries: `<kind> <digest> <summary>`. */
export function formatSeal(seal: Seal): string {
  return `${seal.kind} ${seal.digest} ${seal.summary}`;
}

export function parseSeal(text: string): Seal | undefined {
  const match = /^(upgrade|change) ([0-9a-f]{64}) ?(.*)$/.exec(text);
  return match ? { kind: match[1] as SealKind, digest: match[2]!, summary: match[3]! } : undefined;
}

/** What a state check found about one row. */
export interface StateFinding {
  kind: SealKind;
  id: string;
  problem: 'edited' | 'unlogged';
  /** The entry whose seal the row no longer matches (for `edited`). */
  seq?: number;
  detail: string;
}

/** Compares a row's current state with the seal of the latest entry about it. */
export function compareSeal(kind: SealKind, id: string, current: Seal, latest: { seq: number; seal: Seal } | undefined, logged: boolean): StateFinding | undefined {
  if (!latest) {
    // Rows written before seals existed have entries but no seal: nothing to compare them with.
    if (logged) return undefined;
    return { kind, id, problem: 'unlogged', detail: `${kind} ${id} (${current.summary}) has no operation-log entry at all: it was written without one` };
  }
  if (latest.seal.digest === current.digest) return undefined;
  return {
    kind,
    id,
    problem: 'edited',
    seq: latest.seq,
    detail: `${kind} ${id} was changed without a log entry: it is now ${current.summary}, its last entry ${latest.seq} sealed ${latest.seal.summary}`,
  };
}

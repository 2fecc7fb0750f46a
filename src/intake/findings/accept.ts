import { randomBytes } from 'node:crypto';
import { appendLog } from '../../store/repos/operation-log.js';
import { UfError } from '../../core/errors.js';
import type { Store } from '../../store/open.js';
import { insertAcceptance, listAcceptances, revokeAcceptances, type FindingAcceptance } from '../store/finding-acceptances.js';
import { listFindings } from '../store/findings.js';
import { advisoryIndex } from './view.js';
import { isCalendarDay } from '../sources/calendar.js';

/** Risk is accepted for a bounded time: past this the acceptance must be renewed, with a new reason. */
export const defaultMaxAcceptanceDays = 365;

export interface AcceptTarget {
  finding?: string;
  advisory?: string;
  service?: string;
}

export interface AcceptInput extends AcceptTarget {
  reason: string;
  owner: string;
  /** `YYYY-MM-DD`: the acceptance ends at 00:00 UTC that day. */
  expires: string;
  actor: string;
  now: Date;
  maxDays?: number;
}

/**
 * Accepts the risk of one finding, or of every finding of an advisory (by id or alias) in a service.
 * Reason, owner and a future expiry within `maxDays` are required; each acceptance is logged.
 */
export async function acceptFindings(store: Store, input: AcceptInput): Promise<FindingAcceptance[]> {
  const reason = required(input.reason, '--reason');
  const owner = required(input.owner, '--owner');
  const expiresAt = expiryOf(input.expires, input.now, input.maxDays ?? defaultMaxAcceptanceDays);
  const targets = await resolveTargets(store, input);
  const at = input.now.toISOString();
  const acceptances = targets.map(
    (t): FindingAcceptance => ({
      id: 'acc_' + randomBytes(12).toString('hex'),
      advisoryId: t.advisoryId,
      service: t.service,
      findingId: t.findingId,
      reason,
      owner,
      expiresAt,
      acceptedBy: input.actor,
      acceptedAt: at,
      revokedAt: null,
      revokedBy: null,
      expiryLoggedAt: null,
    }),
  );
  await store.db.transaction().execute(async (trx) => {
    for (const a of acceptances) await insertAcceptance(trx, a);
    await appendLog(
      trx,
      acceptances.map((a) => ({ actor: input.actor, action: 'finding.accept', subject: subjectOf(a), reason: `owner ${a.owner}, until ${a.expiresAt.slice(0, 10)}: ${a.reason}`, evidenceRef: a.id })),
      input.now,
    );
  });
  return acceptances;
}

/** Revokes the acceptances that cover the target now; logged with the reason. */
export async function unacceptFindings(store: Store, input: AcceptTarget & { reason: string; actor: string; now: Date }): Promise<FindingAcceptance[]> {
  const reason = required(input.reason, '--reason');
  const targets = await resolveTargets(store, input);
  const at = input.now.toISOString();
  const covering = (await listAcceptances(store.db)).filter(
    (a) => a.expiresAt > at && targets.some((t) => t.service === a.service && t.advisoryId === a.advisoryId && (a.findingId === null || t.findingId === null || a.findingId === t.findingId)),
  );
  if (covering.length === 0) throw new UfError('not_found', 'no active acceptance covers that finding', { record: input.finding ?? `${input.advisory ?? ''}@${input.service ?? ''}` });
  await store.db.transaction().execute(async (trx) => {
    await revokeAcceptances(trx, covering.map((a) => a.id), input.actor, at);
    await appendLog(trx, covering.map((a) => ({ actor: input.actor, action: 'finding.unaccept', subject: subjectOf(a), reason, evidenceRef: a.id })), input.now);
  });
  return covering;
}

export function subjectOf(a: Pick<FindingAcceptance, 'findingId' | 'advisoryId' | 'service'>): string {
  return a.findingId ?? `${a.advisoryId}@${a.service}`;
}

async function resolveTargets(store: Store, input: AcceptTarget): Promise<{ advisoryId: string; service: string; findingId: string | null }[]> {
  if (input.finding !== undefined) {
    if (input.advisory !== undefined || input.service !== undefined) throw new UfError('usage', 'give a finding id, or --advisory with --service, not both');
    const finding = (await listFindings(store.db)).find((f) => f.id === input.finding);
    if (!finding) throw new UfError('not_found', `no finding ${input.finding}`, { record: input.finding });
    return [{ advisoryId: finding.advisoryId, service: finding.service, findingId: finding.id }];
  }
  if (input.advisory === undefined || input.service === undefined) throw new UfError('usage', 'give a finding id, or --advisory A --service S');
  const advisories = await advisoryIndex(store.db);
  const findings = (await listFindings(store.db, { service: input.service })).filter((f) => advisories.idsOf(f.advisoryId).has(input.advisory!));
  if (findings.length === 0) throw new UfError('not_found', `service ${input.service} has no finding of ${input.advisory}`, { record: input.advisory });
  return [...new Set(findings.map((f) => f.advisoryId))].map((advisoryId) => ({ advisoryId, service: input.service!, findingId: null }));
}

function required(value: string | undefined, option: string): string {
  const text = value?.trim() ?? '';
  if (text === '') throw new UfError('usage', `${option} is required and cannot be empty`);
  return text;
}

function expiryOf(text: string, now: Date, maxDays: number): string {
  const day = text.trim();
  if (!isCalendarDay(day)) throw new UfError('usage', `--expires takes a date YYYY-MM-DD, not "${text}"`);
  const date = new Date(`${day}T00:00:00Z`);
  if (date.getTime() <= now.getTime()) throw new UfError('usage', `--expires ${text} is not in the future`);
  const limit = now.getTime() + maxDays * 86_400_000;
  if (date.getTime() > limit) throw new UfError('usage', `--expires ${text} is more than ${maxDays} days away; accept for at most ${maxDays} days and renew`);
  return date.toISOString();
}

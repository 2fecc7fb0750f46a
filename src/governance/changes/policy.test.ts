import { describe, expect, it } from 'vitest';
import { changesSchema } from '../../config/sections/changes.js';
import { UfError } from '../../core/errors.js';
import { approvalRule, checkApproval, matchTemplate, onBoard, satisfied, scopeDigest } from './policy.js';
import { scopeFields, type ChangeApproval, type ChangeFields, type ChangeRecord } from './types.js';

const policy = changesSchema.parse({
  board: { members: ['alice', 'team:cab'], quorum: 2 },
  templates: [
    { id: 'npm-patch', name: 'npm patch', match: { ecosystems: ['npm'], maxRiskScore: 30 }, implementationPlan: 'p', backoutPlan: 'b', backoutTime: '5m', testPlan: 't' },
  ],
});

const fields: ChangeFields = {
  justification: 'j',
  implementationPlan: 'i',
  backoutPlan: 'b',
  backoutTime: '15m',
  backoutTimeSource: 'default',
  testPlan: 't',
  risk: { score: 40, decision: 'track', summary: 's' },
  services: ['checkout'],
  affectedServices: ['checkout', 'web'],
  targetVersion: '2.0.0',
};
const planned = { plannedStart: '2026-12-01T00:00:00.000Z', plannedEnd: '2026-12-01T04:00:00.000Z' };

function change(overrides: Partial<ChangeRecord> = {}): ChangeRecord {
  return {
    id: 'chg_1',
    upgradeId: 'upg_1',
    changeClass: 'normal',
    status: 'awaiting-approval',
    fields,
    ...planned,
    requestedBy: 'user:req',
    implementer: 'user:impl',
    templateId: null,
    scopeDigest: scopeDigest(fields, planned),
    reviewDueAt: null,
    reviewedAt: null,
    reviewedBy: null,
    reviewNotes: null,
    createdAt: planned.plannedStart,
    updatedAt: planned.plannedStart,
    version: 1,
    ...overrides,
  };
}

const approval = (by: string, voided = false): ChangeApproval => ({ id: `apr_${by}`, changeId: 'chg_1', by, role: 'approver', decision: 'approve', reason: null, scopeDigest: 'x', at: planned.plannedStart, voidedAt: voided ? planned.plannedEnd : null, voidReason: voided ? 'scope edited' : null });

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof UfError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('change policy', () => {
  it('asks approvals by class and risk: template, normal, board from the threshold up or when never scored, emergency', () => {
    expect(approvalRule(policy, change({ changeClass: 'standard', templateId: 'npm-patch' }))).toMatchObject({ count: 0, board: false });
    expect(approvalRule(policy, change())).toMatchObject({ count: 1, board: false });
    expect(approvalRule(policy, change({ fields: { ...fields, risk: { score: 70, decision: 'act', summary: '' } } }))).toMatchObject({ count: 2, board: true });
    expect(approvalRule(policy, change({ fields: { ...fields, risk: { score: 69.9, decision: 'act', summary: '' } } }))).toMatchObject({ count: 1, board: false });
    expect(approvalRule(policy, change({ fields: { ...fields, risk: null } })).why).toContain('risk unknown (never scored)');
    expect(approvalRule(policy, change({ changeClass: 'standard' })).why).toContain('a standard change no template matches is handled as normal');
    expect(approvalRule(policy, change({ changeClass: 'emergency', fields: { ...fields, risk: { score: 99, decision: 'act', summary: '' } } }))).toMatchObject({ count: 1, board: false });
  });

  it('matches a template only when every condition holds and the risk is known and low enough', () => {
    const upgrade = { ecosystem: 'npm', name: 'lodash', services: ['checkout'] };
    expect(matchTemplate(policy.templates, upgrade, 30)?.id).toBe('npm-patch');
    expect(matchTemplate(policy.templates, upgrade, 31)).toBeUndefined();
    expect(matchTemplate(policy.templates, upgrade, undefined)).toBeUndefined();
    expect(matchTemplate(policy.templates, { ...upgrade, ecosystem: 'PyPI' }, 10)).toBeUndefined();
  });

  it('seats board members by name or team, and every approver when the board is empty', () => {
    expect(onBoard(policy, 'user:alice', [])).toBe(true);
    expect(onBoard(policy, 'user:carl', ['cab'])).toBe(true);
    expect(onBoard(policy, 'user:carl', ['group:default/cab'])).toBe(true);
    expect(onBoard(policy, 'user:dave', ['payments'])).toBe(false);
    expect(onBoard(policy, 'token:tok_1', [])).toBe(false);
    expect(onBoard(changesSchema.parse(undefined), 'user:anyone', [])).toBe(true);
  });

  it('refuses the requester and the implementer whatever roles they hold, then roles, state, scope, board and repeats', () => {
    const c = change({ fields: { ...fields, risk: { score: 90, decision: 'act', summary: '' } } });
    const check = (by: string, extra: { roles?: string[]; teams?: string[]; digest?: string; approvals?: ChangeApproval[]; record?: ChangeRecord } = {}) =>
      checkApproval(policy, extra.record ?? c, extra.approvals ?? [], { by, roles: (extra.roles ?? ['admin']) as never, teams: extra.teams ?? [], ...(extra.digest ? { scopeDigest: extra.digest } : {}) });
    expect(refusal(() => check('user:req'))).toMatchObject({ code: 'forbidden', message: expect.stringContaining('requested this change') });
    expect(refusal(() => check('user:impl'))).toMatchObject({ code: 'forbidden', message: expect.stringContaining('implements this change') });
    expect(refusal(() => check('user:alice', { roles: ['operator'] })).message).toContain('needs one of approver, admin');
    expect(refusal(() => check('user:alice', { record: { ...c, status: 'authorized' } }))).toMatchObject({ code: 'conflict' });
    expect(refusal(() => check('user:alice', { digest: 'f'.repeat(64) }))).toMatchObject({ code: 'conflict', message: expect.stringContaining('scope changed') });
    expect(refusal(() => check('user:dave'))).toMatchObject({ code: 'forbidden', message: expect.stringContaining('not on the change board') });
    expect(refusal(() => check('user:alice', { approvals: [approval('user:alice')] }))).toMatchObject({ code: 'conflict', message: expect.stringContaining('one decision per person') });
    // A voided approval does not count against a new decision on the new scope.
    expect(check('user:alice', { approvals: [approval('user:alice', true)], digest: c.scopeDigest })).toBe('admin');
    expect(check('user:carl', { roles: ['approver'], teams: ['cab'] })).toBe('approver');
  });

  it('counts live approvals only', () => {
    const rule = { count: 2, board: true, why: '' };
    expect(satisfied(rule, [approval('user:a'), approval('user:b', true)])).toBe(false);
    expect(satisfied(rule, [approval('user:a'), approval('user:b')])).toBe(true);
  });

  it('digests exactly the scope fields', () => {
    const base = scopeDigest(fields, planned);
    expect(scopeDigest({ ...fields, justification: 'other', testPlan: 'other', backoutTime: '1h' }, planned)).toBe(base);
    const edits: Record<(typeof scopeFields)[number], () => string> = {
      services: () => scopeDigest({ ...fields, services: ['web'] }, planned),
      affectedServices: () => scopeDigest({ ...fields, affectedServices: ['checkout'] }, planned),
      targetVersion: () => scopeDigest({ ...fields, targetVersion: '2.0.1' }, planned),
      implementationPlan: () => scopeDigest({ ...fields, implementationPlan: 'i2' }, planned),
      backoutPlan: () => scopeDigest({ ...fields, backoutPlan: 'b2' }, planned),
      plannedStart: () => scopeDigest(fields, { ...planned, plannedStart: '2026-12-01T01:00:00.000Z' }),
      plannedEnd: () => scopeDigest(fields, { ...planned, plannedEnd: '2026-12-01T05:00:00.000Z' }),
    };
    for (const [field, digest] of Object.entries(edits)) expect(digest(), field).not.toBe(base);
  });
});

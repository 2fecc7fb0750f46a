import { z } from 'zod';
import { durationFormat, parseDuration } from '../../core/duration.js';
import { roles } from '../../core/roles.js';

const durationText = z.string({ error: durationFormat }).refine((value) => parseDuration(value) !== undefined, { message: durationFormat });

/** A standard change's template: which upgrades it pre-approves, and the plans it brings. */
const templateSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a kebab-case id such as npm-patch'),
    name: z.string().min(1),
    /** All given conditions must hold. */
    match: z
      .object({
        ecosystems: z.array(z.string().min(1)).optional(),
        /** Package names (the upgrade's `name`). */
        packages: z.array(z.string().min(1)).optional(),
        services: z.array(z.string().min(1)).optional(),
        /** The upgrade's risk score must be at most this. */
        maxRiskScore: z.number().min(0).max(100),
      })
      .strict(),
    implementationPlan: z.string().min(1),
    backoutPlan: z.string().min(1),
    backoutTime: durationText,
    testPlan: z.string().min(1),
  })
  .strict();

/**
 * `changes:` the change records each upgrade gets when it enters compat (ITSM fields), and the
 * approvals they need: standard changes pre-approved by a matching template; normal changes
 * `normalApprovals` approvals, or the change board's quorum from `highRiskScore` up; emergency
 * changes `emergency.approvals` (the board is skipped) and a post-hoc review within
 * `emergency.reviewWithin`. The canary gate opens only on an authorized change.
 */
export const changesSchema = z
  .object({
    approverRoles: z.array(z.enum(roles)).min(1).default(['approver', 'admin']),
    normalApprovals: z.number().int().min(1).max(10).default(1),
    highRiskScore: z.number().min(0).max(100).default(70),
    board: z
      .object({
        /** Who sits on the change board: user names, or teams as `team:NAME` / `group:default/NAME`. */
        members: z.array(z.string().min(1)).default([]),
        quorum: z.number().int().min(1).max(20).default(2),
      })
      .strict()
      .default({ members: [], quorum: 2 }),
    emergency: z
      .object({ approvals: z.number().int().min(0).max(10).default(1), reviewWithin: durationText.default('72h') })
      .strict()
      .default({ approvals: 1, reviewWithin: '72h' }),
    /** Backout time when no template or drill says better. */
    defaultBackoutTime: durationText.default('15m'),
    templates: z.array(templateSchema).default([]),
  })
  .strict()
  .superRefine((changes, ctx) => {
    const seen = new Set<string>();
    changes.templates.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: ['templates', i, 'id'], message: `template id '${t.id}' is used twice` });
      seen.add(t.id);
    });
  })
  .default({ approverRoles: ['approver', 'admin'], normalApprovals: 1, highRiskScore: 70, board: { members: [], quorum: 2 }, emergency: { approvals: 1, reviewWithin: '72h' }, defaultBackoutTime: '15m', templates: [] });

export type ChangesPolicy = z.infer<typeof changesSchema>;
export type ChangeTemplate = z.infer<typeof templateSchema>;

import type { RiskPolicy } from '../config/sections/risk-policy.js';
import type { CisaDecision, SsvcInputs } from './ssvc/types.js';
import type { ChangeClass, Reversibility } from './types.js';
import { plural } from './factors/draft.js';

/**
 * The ITSM change class:
 * - emergency: SSVC says act on an actively exploited (CISA KEV) issue: the compressed path, still
 *   with analysis and a mandatory post-hoc review;
 * - standard (pre-approved): SSVC track, no breaking changes, no migrations (known from release
 *   notes, not merely unlisted), no major version, and a rollback drill within the recent window; only such changes may be auto-approved;
 * - normal: everything else, with each reason it is not standard listed.
 */
export function classifyChange(
  decision: CisaDecision,
  inputs: SsvcInputs,
  reversibility: Reversibility,
  policy: RiskPolicy,
): { changeClass: ChangeClass; reason: string } {
  if (decision === 'act' && inputs.exploitation === 'active') {
    return {
      changeClass: 'emergency',
      reason: 'Emergency change: SSVC decides act on an actively exploited issue (in CISA KEV); compressed path with analysis and a mandatory post-hoc review.',
    };
  }
  const recent = policy.thresholds.recentDrillDays;
  const drill = reversibility.rollbackDrillAgeDays;
  const blockers = [
    decision !== 'track' ? `SSVC decides ${decision}, not track` : '',
    reversibility.majorVersionChange ? 'it crosses a major version' : '',
    reversibility.releaseNotesUnknown !== undefined ? `its breaking changes and migrations are unknown (${reversibility.releaseNotesUnknown})` : '',
    reversibility.breakingChanges > 0 ? `it has ${plural(reversibility.breakingChanges, 'breaking change')}` : '',
    reversibility.migrationsRequired > 0 ? `it needs ${plural(reversibility.migrationsRequired, 'migration')}` : '',
    drill === undefined ? 'no rollback drill is recorded' : drill > recent ? `the last rollback drill is ${plural(drill, 'day')} old (recent means ${recent} days)` : '',
  ].filter((text) => text !== '');
  if (blockers.length > 0) return { changeClass: 'normal', reason: `Normal change (approvals required) because ${blockers.join(', ')}.` };
  return {
    changeClass: 'standard',
    reason: `Standard change (pre-approved): SSVC track, minor or patch upgrade without breaking changes or migrations, rollback drilled ${plural(drill ?? 0, 'day')} ago (within ${recent}).`,
  };
}

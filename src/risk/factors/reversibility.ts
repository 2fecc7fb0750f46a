import type { RiskPolicy } from '../../config/sections/risk-policy.js';
import type { Reversibility } from '../types.js';
import { clamp01, countsAs, percent, plural, saturating, type FactorDraft } from './draft.js';

export type ReversibilityFactor = keyof RiskPolicy['factorWeights']['reversibility'];

/** How hard the change is to take back: the more it changes, and the less rollback is practised, the riskier. */
export function reversibilityFactors(input: Reversibility, policy: RiskPolicy): Record<ReversibilityFactor, FactorDraft> {
  const { saturation } = policy;
  const unknown = input.releaseNotesUnknown;
  return {
    majorVersion: input.majorVersionChange
      ? { value: true, normalised: 1, reason: 'The upgrade crosses a major version: expect incompatible changes, and a rollback that may not be clean; counts fully.' }
      : { value: false, normalised: 0, reason: 'The upgrade stays within its major version (minor or patch).' },
    breakingChanges: unknown !== undefined ? unknownCount('breaking changes', unknown, input.breakingChanges, saturation.breakingChanges, policy.unknown.breakingChanges, 'unknown.breakingChanges') : count(input.breakingChanges, saturation.breakingChanges, 'saturation.breakingChanges', {
      none: 'The release notes list no breaking change.',
      some: (n) => `The release notes list ${plural(n, 'breaking change')}`,
    }),
    migrations: unknown !== undefined ? unknownCount('required migrations', unknown, input.migrationsRequired, saturation.migrations, policy.unknown.migrations, 'unknown.migrations') : count(input.migrationsRequired, saturation.migrations, 'saturation.migrations', {
      none: 'The upgrade needs no schema or data migration.',
      some: (n) => `The upgrade needs ${plural(n, 'schema or data migration')}, which a rollback must undo as well`,
    }),
    deprecations: unknown !== undefined ? unknownCount('deprecations', unknown, input.deprecations, saturation.deprecations, policy.unknown.deprecations, 'unknown.deprecations') : count(input.deprecations, saturation.deprecations, 'saturation.deprecations', {
      none: 'The release notes deprecate nothing.',
      some: (n) => `The release notes deprecate ${plural(n, 'feature')} the services may rely on`,
    }),
    rollbackDrill: rollbackDrill(input.rollbackDrillAgeDays, policy.thresholds.recentDrillDays),
  };
}

/**
 * No release notes cover the move: "none" would be a guess, so the factor says unknown and counts
 * the policy's share. Changes the partial notes do list still count when they count more.
 */
function unknownCount(what: string, because: string, listed: number, full: number, share: number, policyKey: string): FactorDraft {
  const unknownShare = clamp01(share);
  const n = Math.max(0, listed);
  if (n > 0 && saturating(n, full) > unknownShare) {
    const normalised = saturating(n, full);
    return { value: `at least ${n}`, normalised, reason: `At least ${plural(n, what.replace(/s$/, ''), what)} listed, and more may exist (${because}); ${countsAs(normalised, full, policyKey.replace('unknown.', 'saturation.'))}.` };
  }
  const partly = n > 0 ? ` The notes list ${n} in the part they cover.` : '';
  return {
    value: 'unknown',
    normalised: unknownShare,
    reason: `Unknown (${because}): nobody can say whether the move brings ${what}; counts ${percent(unknownShare)} of its weight until release notes cover it (policy ${policyKey}).${partly}`,
  };
}

function count(value: number, full: number, policyKey: string, says: { none: string; some: (n: number) => string }): FactorDraft {
  const n = Math.max(0, value);
  if (n === 0) return { value: 0, normalised: 0, reason: says.none };
  const normalised = saturating(n, full);
  return { value: n, normalised, reason: `${says.some(n)}; ${countsAs(normalised, full, policyKey)}.` };
}

/**
 * A drill at age 0 counts nothing and risk grows linearly to fully at twice the recent window
 * (60 days by default); never drilled counts fully. Older is never safer, so the score is monotone in age.
 */
function rollbackDrill(ageDays: number | undefined, recentDays: number): FactorDraft {
  if (ageDays === undefined) return { value: 'never', normalised: 1, reason: 'No rollback drill is recorded for the affected services: nobody knows that rollback works; counts fully.' };
  const age = Math.max(0, ageDays);
  const normalised = clamp01(age / (2 * recentDays));
  const recent = age <= recentDays ? `within the ${recentDays} days that count as recent` : `older than the ${recentDays} days that count as recent`;
  return {
    value: age,
    normalised,
    reason: `The last rollback drill was ${plural(age, 'day')} ago, ${recent} (policy thresholds.recentDrillDays); counts ${percent(normalised)} of its weight, fully from ${2 * recentDays} days.`,
  };
}

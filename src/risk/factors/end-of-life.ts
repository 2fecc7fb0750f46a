import type { RiskPolicy } from '../../config/sections/risk-policy.js';
import type { EndOfLife } from '../types.js';
import { clamp01, percent, plural, type FactorDraft } from './draft.js';

/**
 * End of life of the version in use: nothing until `eolHorizonDays` before the date, then rising
 * linearly to fully on the date and after it. Unknown counts nothing; the reason says so.
 */
export function endOfLifeFactor(input: EndOfLife | undefined, policy: RiskPolicy): FactorDraft {
  const horizon = policy.thresholds.eolHorizonDays;
  const date = input?.eolDate;
  const days = input?.daysToEol;
  if (days === undefined) {
    if (date !== undefined) {
      return { value: date, normalised: 0, reason: `End of life ${date} is known but its distance in days was not computed, so it adds nothing (intake fills daysToEol).` };
    }
    return { value: 'unknown', normalised: 0, reason: 'No end-of-life date is known for the version in use.' };
  }
  const on = date !== undefined ? ` (${date})` : '';
  if (days <= 0) {
    const ago = days === 0 ? 'today' : `${plural(-days, 'day')} ago`;
    return { value: days, normalised: 1, reason: `The version in use reached end of life ${ago}${on}: no more fixes; counts fully.` };
  }
  const normalised = clamp01(1 - days / horizon);
  const counts = normalised === 0 ? `beyond the ${horizon}-day horizon, so it adds nothing yet` : `counts ${percent(normalised)} of its weight, rising to fully on the date`;
  return { value: days, normalised, reason: `The version in use reaches end of life in ${plural(days, 'day')}${on}; ${counts} (policy thresholds.eolHorizonDays).` };
}

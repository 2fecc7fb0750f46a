import { isUfError } from '../../core/errors.js';
import type { CellFinding, CheckOutcome } from '../types.js';

/** The most findings a cell keeps; past it the summary and `details.findingsCut` say how many were cut. */
export const maxCellFindings = 200;

/** The findings a cell keeps, and how many it cut. */
export function capFindings(findings: readonly CellFinding[], limit = maxCellFindings): { findings: CellFinding[]; cut: number } {
  return { findings: findings.slice(0, limit), cut: Math.max(0, findings.length - limit) };
}

/** The outcome of a check whose signal was aborted: never a pass, and its result is thrown away anyway. */
export function abortedOutcome(signal: AbortSignal): CheckOutcome {
  const reason: unknown = signal.reason;
  const why = reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);
  return { status: 'error', summary: oneLine(`check stopped before it finished: ${why}`) };
}

/**
 * An `error` outcome for input the check could not use: a UfError says where (file:line) and what;
 * anything else is rethrown, since a runner throws only on a programming error.
 */
export function inputErrorOutcome(error: unknown, prefix = ''): CheckOutcome {
  if (!isUfError(error)) throw error;
  const details = error.location ? { code: error.code, location: { ...error.location } } : { code: error.code };
  return { status: 'error', summary: oneLine(`${prefix}${error.describe()}`), details: JSON.parse(JSON.stringify(details)) as Record<string, unknown> };
}

/** A summary is one line a person reads in the matrix. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

import { tripsGate, type FailOn } from './fail-on.js';
import type { ScanResult } from './index.js';

export interface ScanVerdict {
  exitCode: 0 | 1 | 2;
  /** `incomplete` wins over `affected`: a result built from partly unreadable input is never trusted as either. */
  status: 'clean' | 'affected' | 'incomplete';
  /** Findings at or above the `--fail-on` threshold. */
  tripped: number;
  reason: string;
}

/**
 * Exit codes: 2 when some advisory input could not be read (even if findings were found: the
 * result is not the whole truth, and a CI gate must not read it as clean or as a complete list);
 * 1 when a finding trips the gate; 0 otherwise.
 */
export function scanVerdict(result: ScanResult, failOn: FailOn): ScanVerdict {
  const tripped = result.findings.filter((f) => tripsGate(f, failOn)).length;
  if (!result.complete) {
    const n = result.advisories.unreadable.length;
    return { exitCode: 2, status: 'incomplete', tripped, reason: `${n} advisory input${n === 1 ? '' : 's'} could not be read; the result may miss findings` };
  }
  if (tripped > 0) return { exitCode: 1, status: 'affected', tripped, reason: `${tripped} finding${tripped === 1 ? '' : 's'} at or above the --fail-on threshold` };
  return { exitCode: 0, status: 'clean', tripped, reason: result.findings.length === 0 ? 'no known vulnerabilities' : 'no finding at or above the --fail-on threshold' };
}

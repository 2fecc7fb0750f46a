import type { JourneyResult } from './types.js';

/** A journey result as a person reads it: the state, each step with its checks, the thresholds, the reasons. */
export function formatJourneyResult(result: JourneyResult, via?: string): string {
  const lines = [`journey ${result.journey} (${result.service}) against ${result.target}${via ? ` (${via})` : ''}: ${result.state}`];
  for (const run of result.iterations) {
    lines.push(`  iteration ${run.iteration}: ${run.ok ? 'ok' : 'failed'} in ${run.durationMs} ms`);
    for (const step of run.steps) {
      const status = step.status === undefined ? '' : ` ${step.status}`;
      const tries = step.tries > 1 ? ` (${step.tries} tries)` : '';
      lines.push(`    ${step.ok ? 'ok  ' : 'FAIL'} ${step.name}: ${step.request}${status} ${step.latencyMs} ms${tries}`);
      for (const check of step.checks.filter((c) => !c.ok)) lines.push(`         ${check.check}: expected ${check.expected}, got ${check.actual}`);
    }
  }
  if (result.thresholds.length > 0) {
    lines.push('  thresholds:');
    for (const t of result.thresholds) lines.push(`    ${t.ok ? 'ok  ' : 'FAIL'} ${t.metric} ${t.threshold}${t.abortOnFail ? ' (abortOnFail)' : ''}: observed ${t.observed}`);
  }
  for (const reason of result.reasons) lines.push(`  reason: ${reason}`);
  return lines.join('\n');
}

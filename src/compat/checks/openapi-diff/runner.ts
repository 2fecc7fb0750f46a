import { resolve } from 'node:path';
import { systemClock, type Clock } from '../../../core/clock.js';
import type { OpenapiDiffCheckSettings } from '../../../config/sections/compat.js';
import type { CellFinding, CheckOutcome, CheckRequest, CheckRunner } from '../../types.js';
import { abortedOutcome, capFindings, inputErrorOutcome } from '../outcome.js';
import type { ApiChange, ChangeLevel } from './change.js';
import { atLeast, diffOpenApi, summarize } from './diff.js';
import { loadOpenApiFile } from './loader.js';

const findingLevel: Record<ChangeLevel, CellFinding['level']> = { breaking: 'error', warning: 'warning', info: 'info' };

function where(change: ApiChange): string {
  return `${change.operation} ${change.path}`.trim() || '(document)';
}

function toFinding(change: ApiChange): CellFinding {
  return { ruleId: change.id, level: findingLevel[change.level], text: change.location ? `${change.text} (${change.location})` : change.text, location: where(change) };
}

/**
 * `kind: openapi-diff` as a matrix column: the old document against the new, failing the cell
 * when a change at or above `failOn` is found. The clock gives today's date, against which
 * `x-sunset` dates are compared.
 */
export function createOpenapiDiffRunner(clock: Clock = systemClock): CheckRunner<OpenapiDiffCheckSettings> {
  return {
    kind: 'openapi-diff',
    async run(request: CheckRequest<OpenapiDiffCheckSettings>): Promise<CheckOutcome> {
      if (request.signal.aborted) return abortedOutcome(request.signal);
      const { spec, baseDir } = request;
      let changes: ApiChange[];
      try {
        const [before, after] = await Promise.all([loadOpenApiFile(resolve(baseDir, spec.old)), loadOpenApiFile(resolve(baseDir, spec.new))]);
        if (request.signal.aborted) return abortedOutcome(request.signal);
        changes = diffOpenApi(before, after, { today: clock.now().toISOString().slice(0, 10) });
      } catch (error) {
        return inputErrorOutcome(error);
      }
      const counts = summarize(changes);
      const failing = atLeast(changes, spec.failOn);
      // Breaking first, so a capped cell keeps what decides it.
      const ordered = [...atLeast(changes, 'breaking'), ...changes.filter((c) => c.level !== 'breaking')];
      const { findings, cut } = capFindings(ordered.map(toFinding));
      const countText = `${counts.breaking} breaking, ${counts.warning} warning, ${counts.info} info${cut > 0 ? ` (${cut} finding(s) cut, ${findings.length} kept)` : ''}`;
      const details = { counts, failOn: spec.failOn, ...(cut > 0 ? { findingsCut: cut } : {}) };
      const first = failing[0];
      if (first) {
        return {
          status: 'fail',
          summary: `${failing.length} change(s) at or above ${spec.failOn}, first ${first.id} on ${where(first)}: ${countText}`,
          ruleId: first.id,
          findings,
          details,
        };
      }
      return { status: 'pass', summary: `no change at or above ${spec.failOn}: ${countText}`, findings, details };
    },
  };
}

export const openapiDiffRunner: CheckRunner<OpenapiDiffCheckSettings> = createOpenapiDiffRunner();

import { firstIssue } from '../../../../config/issues.js';
import { z } from 'zod';
import { mannWhitneySettingsShape } from '../../../../config/sections/judges.js';
import { UfError } from '../../../../core/errors.js';
import { lineColumnAt, parseJsonText, scanJson, stripBom } from '../../../../core/json-text.js';
import { formatKeyPath } from '../../../../core/key-path.js';
import { classify, type Classification } from './classifier.js';

/**
 * `uf analysis judge --input FILE`: the statistical classifier on given samples, with the input
 * and output DESIGN.md lists among the stable commands. A sample may be `null`: a missing value
 * (NaN), which `nan` removes or replaces with 0.
 */
const samples = z.array(z.number().nullable(), { error: 'expected an array of numbers' });

export const judgeSamplesInputSchema = z
  .object({
    canary: samples,
    baseline: samples,
    ...mannWhitneySettingsShape,
  })
  .strict();
export type JudgeSamplesInput = z.output<typeof judgeSamplesInputSchema>;

export interface JudgeSamplesOutput {
  classification: Classification;
  critical: boolean;
  /** Interval of the location shift canary - baseline at `confidence`; null without data. */
  ci: [number, number] | null;
  /** Hodges-Lehmann estimate of the shift; null without data. */
  estimate: number | null;
  /** The measure asked for (mean ratio or CLES); null when it cannot be computed. */
  effectSize: number | null;
  reason: string;
}

/** Parses and validates the input file's text; errors name the file, line and key path. */
export function parseJudgeSamplesInput(text: string, file: string): JudgeSamplesInput {
  const raw = parseJsonText(text, { file });
  const parsed = judgeSamplesInputSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const { path, message } = firstIssue(parsed.error);
  const source = stripBom(text);
  const offset = scanJson(source, path).pathOffset;
  const where = offset === undefined ? {} : lineColumnAt(source, offset);
  throw new UfError('usage', message, { file, ...where, path: formatKeyPath(path) || '(top level)' });
}

export function judgeSamples(input: JudgeSamplesInput): JudgeSamplesOutput {
  const toNumbers = (values: ReadonlyArray<number | null>): number[] => values.map((value) => value ?? Number.NaN);
  const result = classify(toNumbers(input.canary), toNumbers(input.baseline), input);
  return {
    classification: result.classification,
    critical: result.critical,
    ci: result.ci,
    estimate: result.estimate,
    effectSize: result.effectSize,
    reason: result.reason,
  };
}

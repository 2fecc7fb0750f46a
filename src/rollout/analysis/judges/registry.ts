import { firstIssue } from '../../../config/issues.js';
import type { z } from 'zod';
import { judgeSettingsSchema, statisticalJudgeSettingsSchema, thresholdJudgeSettingsSchema, type JudgeSettings } from '../../../config/sections/judges.js';
import { UfError } from '../../../core/errors.js';
import { formatKeyPath } from '../../../core/key-path.js';
import { createStatisticalJudge } from './statistical/index.js';
import { createThresholdJudge } from './threshold/index.js';
import type { Judge } from './types.js';

/** One judge kind: the schema of its settings and how to build it from them. */
export interface JudgeKindEntry<Schema extends z.ZodType> {
  readonly settings: Schema;
  create(settings: z.output<Schema>): Judge;
}

/** Every judge, by the `kind` factory.yaml names it with. */
export const judgeRegistry = {
  threshold: { settings: thresholdJudgeSettingsSchema, create: createThresholdJudge } satisfies JudgeKindEntry<typeof thresholdJudgeSettingsSchema>,
  statistical: { settings: statisticalJudgeSettingsSchema, create: createStatisticalJudge } satisfies JudgeKindEntry<typeof statisticalJudgeSettingsSchema>,
} as const;

export type JudgeKind = keyof typeof judgeRegistry;

/** Builds the judge that validated settings describe. */
export function createJudge(settings: JudgeSettings): Judge {
  switch (settings.kind) {
    case 'threshold':
      return judgeRegistry.threshold.create(settings);
    case 'statistical':
      return judgeRegistry.statistical.create(settings);
  }
}

/** Validates raw settings (e.g. from a file other than factory.yaml), then builds the judge. */
export function buildJudge(raw: unknown): Judge {
  const parsed = judgeSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const { path, message } = firstIssue(parsed.error);
    throw new UfError('config_invalid', `invalid judge settings: ${message}`, { path: formatKeyPath(path) });
  }
  return createJudge(parsed.data);
}

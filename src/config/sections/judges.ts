// TEMPORARY: replaced by the metrics/judges/deployers helper's file at merge
import { z } from 'zod';

/** Stand-in so the rollout policy can compose it: how an analysis's measurements become a verdict (kind: the judge). */
export const judgeSettingsSchema = z.object({ kind: z.string().min(1) }).loose();

// TEMPORARY: replaced by the metrics/judges/deployers helper's file at merge
import { z } from 'zod';

/** Stand-in so the rollout policy can compose it: where a metric's measurements come from (kind: the provider). */
export const metricSourceSchema = z.object({ kind: z.string().min(1) }).loose();

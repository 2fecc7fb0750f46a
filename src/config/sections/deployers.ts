// TEMPORARY: replaced by the metrics/judges/deployers helper's file at merge
import { z } from 'zod';

/** Stand-in so the rollout policy can compose it: how a service's new version gets running (kind: the deployer). */
export const deployerSettingsSchema = z.object({ kind: z.string().min(1) }).loose();

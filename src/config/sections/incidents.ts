import { z } from 'zod';
import { durationFormat, parseDuration } from '../../core/duration.js';

const durationText = z.string({ error: durationFormat }).refine((value) => parseDuration(value) !== undefined, { message: durationFormat });

/**
 * `incidents:` in factory.yaml: how incidents are tied to the changes that may have caused them.
 * An incident without an explicit change reference is linked to the latest deployment on its
 * service (or on a service it depends on) that started at most `linkWindow` before it.
 */
export const incidentsSchema = z
  .object({
    linkWindow: durationText.default('24h').describe('how long after a deployment an incident on its service is linked to it'),
    linkDependencies: z.boolean().default(true).describe('also link to a deployment on a service the incident\'s service depends on (service map dependsOn)'),
  })
  .strict()
  .prefault({});

export type IncidentsSettings = z.output<typeof incidentsSchema>;

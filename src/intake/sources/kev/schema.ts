import { z } from 'zod';
import { isCalendarDay } from '../calendar.js';

/**
 * CISA's Known Exploited Vulnerabilities catalog, after its published JSON schema
 * (cisagov/kev-data `known_exploited_vulnerabilities_schema.json`). The envelope is checked
 * first; each entry on its own, so one bad entry does not cost the other thousand.
 */
export const kevEnvelopeSchema = z.object({
  title: z.string().optional(),
  catalogVersion: z.string(),
  dateReleased: z.string(),
  count: z.number().int(),
  vulnerabilities: z.array(z.unknown()),
});

/** A calendar day: `2021-02-30` has the shape but is no date, and must not be stored as one. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as 2021-12-10')
  .refine((text) => isCalendarDay(text), 'expected a real calendar date such as 2021-12-10');

export const kevEntrySchema = z.object({
  cveID: z.string().regex(/^CVE-[0-9]{4}-[0-9]{4,19}$/, 'expected a CVE id such as CVE-2021-44228'),
  vendorProject: z.string(),
  product: z.string(),
  vulnerabilityName: z.string(),
  dateAdded: day,
  shortDescription: z.string(),
  requiredAction: z.string(),
  dueDate: day,
  knownRansomwareCampaignUse: z.string().optional(),
  notes: z.string().optional(),
  cwes: z.array(z.string().regex(/^CWE-[0-9]+$/, 'expected a CWE id such as CWE-502')).optional(),
});

export type KevEntryJson = z.infer<typeof kevEntrySchema>;

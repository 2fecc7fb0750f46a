import { z } from 'zod';

/** The parts of a CycloneDX (1.4+) VEX document the importer reads; other fields pass unread. */
interface Component {
  'bom-ref'?: string | undefined;
  name?: string | undefined;
  version?: string | undefined;
  purl?: string | undefined;
  components?: Component[] | undefined;
}

const componentSchema: z.ZodType<Component> = z.object({
  'bom-ref': z.string().optional(),
  name: z.string().optional(),
  version: z.string().optional(),
  purl: z.string().optional(),
  get components() {
    return z.array(componentSchema).optional();
  },
});

export const cycloneDxVulnerabilitySchema = z.object({
  id: z.string().min(1),
  references: z.array(z.object({ id: z.string() })).optional(),
  analysis: z
    .object({
      state: z.enum(['resolved', 'resolved_with_pedigree', 'exploitable', 'in_triage', 'false_positive', 'not_affected']).optional(),
      justification: z.string().optional(),
      detail: z.string().optional(),
      lastUpdated: z.string().optional(),
    })
    .optional(),
  affects: z
    .array(
      z.object({
        ref: z.string().min(1),
        versions: z.array(z.object({ version: z.string().optional(), range: z.string().optional(), status: z.string().optional() })).optional(),
      }),
    )
    .optional(),
});

export const cycloneDxVexSchema = z.object({
  bomFormat: z.literal('CycloneDX'),
  specVersion: z.string(),
  metadata: z.object({ timestamp: z.string().optional(), component: componentSchema.optional() }).optional(),
  components: z.array(componentSchema).optional(),
  vulnerabilities: z.array(z.unknown()).optional(),
});

export type CycloneDxVulnerability = z.infer<typeof cycloneDxVulnerabilitySchema>;
export type CycloneDxVexComponent = Component;

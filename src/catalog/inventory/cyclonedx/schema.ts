import { z } from 'zod';

/** The parts of a CycloneDX component the inventory reads; other fields pass unread. */
export interface CycloneDxComponent {
  'bom-ref'?: string | undefined;
  type?: string | undefined;
  group?: string | undefined;
  name: string;
  version?: string | undefined;
  purl?: string | undefined;
  scope?: 'required' | 'optional' | 'excluded' | undefined;
  components?: CycloneDxComponent[] | undefined;
}

export const cycloneDxComponentSchema: z.ZodType<CycloneDxComponent> = z.object({
  'bom-ref': z.string().optional(),
  type: z.string().optional(),
  group: z.string().optional(),
  name: z.string(),
  version: z.string().optional(),
  purl: z.string().optional(),
  scope: z.enum(['required', 'optional', 'excluded']).optional(),
  get components() {
    return z.array(cycloneDxComponentSchema).optional();
  },
});

/** JSON exists from spec 1.2 on; later 1.x minors only add fields, so they are read the same way. */
const jsonSpecVersion = /^1\.(?:[2-9]|[1-9]\d+)$/;

export const cycloneDxBomSchema = z.object({
  bomFormat: z.literal('CycloneDX'),
  specVersion: z.string().regex(jsonSpecVersion, 'expected a CycloneDX JSON spec version, 1.2 or later'),
  metadata: z.object({ component: cycloneDxComponentSchema.optional() }).optional(),
  components: z.array(cycloneDxComponentSchema).optional(),
  dependencies: z
    .array(z.object({ ref: z.string(), dependsOn: z.array(z.string()).optional() }))
    .optional(),
});

export type CycloneDxBom = z.infer<typeof cycloneDxBomSchema>;

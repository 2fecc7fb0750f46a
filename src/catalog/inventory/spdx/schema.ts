import { z } from 'zod';

const externalRefSchema = z.object({
  referenceCategory: z.string(),
  referenceType: z.string(),
  referenceLocator: z.string(),
});

const packageSchema = z.object({
  SPDXID: z.string(),
  name: z.string(),
  versionInfo: z.string().optional(),
  externalRefs: z.array(externalRefSchema).optional(),
});

const relationshipSchema = z.object({
  spdxElementId: z.string(),
  relationshipType: z.string(),
  relatedSpdxElement: z.string(),
});

/** SPDX 2.x JSON (2.2 and 2.3 share these fields); SPDX 3 is JSON-LD and a different shape. */
export const spdxDocumentSchema = z.object({
  spdxVersion: z.string().regex(/^SPDX-2\.\d+$/, 'expected an SPDX 2.x document (SPDX-2.2, SPDX-2.3)'),
  SPDXID: z.string().optional(),
  documentDescribes: z.array(z.string()).optional(),
  packages: z.array(packageSchema).optional(),
  relationships: z.array(relationshipSchema).optional(),
});

export type SpdxDocument = z.infer<typeof spdxDocumentSchema>;
export type SpdxPackage = z.infer<typeof packageSchema>;
export type SpdxRelationship = z.infer<typeof relationshipSchema>;

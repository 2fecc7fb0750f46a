import { z } from 'zod';

/** A component reference: v0.2 objects (`@id`, `identifiers.purl`) or v0.0.1 plain strings. */
const componentRef = z.union([
  z.string().min(1),
  z.object({ '@id': z.string().min(1).optional(), identifiers: z.object({ purl: z.string().optional() }).optional() }),
]);

export const openVexStatementSchema = z.object({
  vulnerability: z.union([z.string().min(1), z.object({ name: z.string().min(1), aliases: z.array(z.string()).optional() })]),
  products: z
    .array(z.union([z.string().min(1), z.object({ '@id': z.string().min(1).optional(), identifiers: z.object({ purl: z.string().optional() }).optional(), subcomponents: z.array(componentRef).optional() })]))
    .min(1),
  /** v0.0.1 put subcomponents on the statement. */
  subcomponents: z.array(componentRef).optional(),
  status: z.enum(['not_affected', 'affected', 'fixed', 'under_investigation']),
  justification: z
    .enum(['component_not_present', 'vulnerable_code_not_present', 'vulnerable_code_not_in_execute_path', 'vulnerable_code_cannot_be_controlled_by_adversary', 'inline_mitigations_already_exist'])
    .optional(),
  impact_statement: z.string().optional(),
  status_notes: z.string().optional(),
  timestamp: z.string().optional(),
});

export const openVexDocumentSchema = z.object({
  '@context': z.string().regex(/^https:\/\/openvex\.dev\/ns/, 'expected an OpenVEX @context (https://openvex.dev/ns/…)'),
  timestamp: z.string().optional(),
  statements: z.array(z.unknown()),
});

export type OpenVexComponentRef = z.infer<typeof componentRef>;

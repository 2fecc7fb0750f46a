import { z } from 'zod';
import type { EntityKind } from '../../core/service-map.js';
import { maxNameLength, namePattern, namespacePattern } from './refs.js';

/** The Backstage descriptor format, as published at backstage.io/docs/features/software-catalog/descriptor-format. */
export const supportedApiVersions: readonly string[] = ['backstage.io/v1alpha1', 'backstage.io/v1beta1'];
export const entityKinds = ['Component', 'System', 'Resource', 'API', 'Group', 'User', 'Domain'] as const satisfies readonly EntityKind[];

/** A message for a value of the wrong type; a missing key is left to the caller's "required key" message. */
function expecting(message: string) {
  return { error: (issue: { input: unknown }) => (issue.input === undefined ? undefined : message) };
}

/** Only what is needed to decide whether a document is ours to read. */
export const envelopeSchema = z.looseObject({
  apiVersion: z.string(expecting('expected a string such as backstage.io/v1alpha1')),
  kind: z.string(expecting('expected a string such as Component')),
});

const nameSchema = z
  .string()
  .max(maxNameLength, `expected at most ${maxNameLength} characters`)
  .regex(namePattern, 'expected letters, digits and - _ . only, starting and ending with a letter or digit');
const namespaceSchema = z
  .string()
  .max(maxNameLength, `expected at most ${maxNameLength} characters`)
  .regex(namespacePattern, 'expected lower-case letters, digits and dashes, like default');
const required = z.string().min(1, 'expected a non-empty string');
const refSchema = z.string().min(1, 'expected an entity ref like group:default/payments-team');
const refListSchema = z.array(refSchema, expecting('expected a list of entity refs'));

const metadataSchema = z.looseObject({
  name: nameSchema,
  namespace: namespaceSchema.optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  // Backstage's rule for tags: lowercase words of a-z 0-9 : + # joined by single dashes, at most 63 characters.
  tags: z
    .array(z.string().max(63, 'a tag is at most 63 characters').regex(/^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/, 'a tag is lowercase a-z, 0-9, :, + or #, words joined by single dashes (Backstage\'s rule)'), expecting('expected a list of tags'))
    .optional(),
  // Backstage refuses non-string annotation values, so a bare `0.12` is an error there as here.
  annotations: z.record(z.string(), z.string({ error: 'annotation values must be strings: quote the value' })).optional(),
});

/** The spec fields the service map reads; each kind's schema below checks what Backstage requires. */
export interface EntitySpec {
  /** Other spec fields (`definition`, `children`, `memberOf`, …) are checked but not read. */
  [field: string]: unknown;
  type?: string;
  lifecycle?: string;
  owner?: string;
  system?: string;
  dependsOn?: string[];
  providesApis?: string[];
  consumesApis?: string[];
}

export type EntityMetadata = z.infer<typeof metadataSchema>;
export interface EntityBody {
  metadata: EntityMetadata;
  spec: EntitySpec;
}

const componentSpec = z.looseObject({
  type: required,
  lifecycle: required,
  owner: refSchema,
  system: refSchema.optional(),
  dependsOn: refListSchema.optional(),
  providesApis: refListSchema.optional(),
  consumesApis: refListSchema.optional(),
});
const apiSpec = z.looseObject({
  type: required,
  lifecycle: required,
  owner: refSchema,
  system: refSchema.optional(),
  // On disk this is often `$text: ./openapi.yaml`, which Backstage substitutes later.
  definition: z.union(
    [z.string(), z.record(z.string(), z.unknown())],
    expecting('expected the API definition, or a $text/$json/$yaml placeholder'),
  ),
});
const resourceSpec = z.looseObject({
  type: required,
  owner: refSchema,
  system: refSchema.optional(),
  dependsOn: refListSchema.optional(),
});
const systemSpec = z.looseObject({ owner: refSchema, type: z.string().optional(), domain: refSchema.optional() });
const domainSpec = z.looseObject({ owner: refSchema, type: z.string().optional(), subdomainOf: refSchema.optional() });
const groupSpec = z.looseObject({
  type: required,
  children: refListSchema,
  parent: refSchema.optional(),
  members: refListSchema.optional(),
});
const userSpec = z.looseObject({ memberOf: refListSchema });

/** Metadata plus the kind's spec; every built-in kind requires a `spec`. */
function body<Spec extends z.ZodType<object>>(spec: Spec) {
  return z.looseObject({ metadata: metadataSchema, spec });
}

export const entityBodySchemas = {
  Component: body(componentSpec),
  API: body(apiSpec),
  Resource: body(resourceSpec),
  System: body(systemSpec),
  Domain: body(domainSpec),
  Group: body(groupSpec),
  User: body(userSpec),
} satisfies Record<EntityKind, z.ZodType<EntityBody>>;

/** Kinds match case-insensitively (`component` is read as `Component`); anything else is not ours. */
export function knownKind(kind: string): EntityKind | undefined {
  return entityKinds.find((known) => known.toLowerCase() === kind.toLowerCase());
}

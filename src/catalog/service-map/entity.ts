import type { LineCounter } from 'yaml';
import type { z } from 'zod';
import { UfError } from '../../core/errors.js';
import type { CatalogEntity, EntityKind, EntityRef } from '../../core/service-map.js';
import { readFactoryAnnotations } from './annotations.js';
import { entityRef, namePattern, parseEntityRef } from './refs.js';
import { entityBodySchemas, envelopeSchema, knownKind, supportedApiVersions, type EntityBody } from './schema.js';
import type { SkippedDocument } from './types.js';
import { locatePath } from '../../config/yaml-location.js';
import { formatKeyPath } from '../../core/key-path.js';

export interface DocumentContext {
  file: string;
  /** 1-based position of the document in the file. */
  document: number;
  /** The document's parsed YAML node, to find the line of an offending key. */
  root: unknown;
  lines: LineCounter;
}

export type DocumentOutcome =
  | { status: 'empty' }
  | { status: 'skipped'; skipped: SkippedDocument }
  | { status: 'invalid'; errors: UfError[] }
  | { status: 'entity'; entity: CatalogEntity; warnings: UfError[] };

interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

/** Turns one YAML document's plain value into a catalog entity, or says precisely why it is not one. */
export function readEntityDocument(value: unknown, context: DocumentContext): DocumentOutcome {
  if (value === null || value === undefined) return { status: 'empty' };
  const record = recordOf(value, context);
  const invalid = (issues: readonly Issue[]): DocumentOutcome => ({
    status: 'invalid',
    errors: issues.map((issue) => toError(issue, record, context)),
  });
  if (!isPlainObject(value)) {
    return invalid([{ path: [], message: 'a catalog document must be a mapping with apiVersion, kind, metadata and spec' }]);
  }
  const envelope = envelopeSchema.safeParse(value, { error: requiredKeyMessage });
  if (!envelope.success) return invalid(envelope.error.issues);
  const kind = knownKind(envelope.data.kind);
  if (!kind) {
    const name = rawName(value);
    const skipped = { document: context.document, apiVersion: envelope.data.apiVersion, kind: envelope.data.kind };
    return { status: 'skipped', skipped: name === undefined ? skipped : { ...skipped, name } };
  }
  if (!supportedApiVersions.includes(envelope.data.apiVersion)) {
    return invalid([{ path: ['apiVersion'], message: `expected ${supportedApiVersions.join(' or ')} for kind ${kind}` }]);
  }
  const body = entityBodySchemas[kind].safeParse(value, { error: requiredKeyMessage });
  if (!body.success) return invalid(body.error.issues);
  const { entity, issues, unknownAnnotations } = toCatalogEntity(kind, body.data, context);
  if (issues.length > 0) return invalid(issues);
  const warnings = unknownAnnotations.map((annotation) =>
    toError({ path: ['metadata', 'annotations', annotation], message: 'unknown upgrade-factory.io annotation, ignored' }, record, context),
  );
  return { status: 'entity', entity, warnings };
}

interface Mapped {
  entity: CatalogEntity;
  issues: Issue[];
  unknownAnnotations: string[];
}

function toCatalogEntity(kind: EntityKind, body: EntityBody, context: DocumentContext): Mapped {
  const { metadata, spec } = body;
  const namespace = metadata.namespace ?? 'default';
  const issues: Issue[] = [];
  const resolve = (text: string, defaultKind: string, path: readonly PropertyKey[]): EntityRef | undefined => {
    const parsed = parseEntityRef(text, { kind: defaultKind, namespace });
    if (parsed.ok) return parsed.value.ref;
    issues.push({ path, message: parsed.reason });
    return undefined;
  };
  const resolveAll = (texts: readonly string[] | undefined, defaultKind: string, field: string): EntityRef[] => {
    const refs = (texts ?? []).map((text, index) => resolve(text, defaultKind, ['spec', field, index]));
    return [...new Set(refs.filter((ref) => ref !== undefined))];
  };
  const annotations = metadata.annotations ?? {};
  const factory = readFactoryAnnotations(annotations);
  for (const problem of factory.problems) {
    issues.push({ path: ['metadata', 'annotations', problem.annotation], message: problem.message });
  }
  const entity: CatalogEntity = {
    ref: entityRef(kind, namespace, metadata.name),
    kind,
    namespace,
    name: metadata.name,
    title: metadata.title,
    description: metadata.description,
    ...(metadata.tags?.length ? { tags: [...new Set(metadata.tags)] } : {}),
    type: spec.type,
    lifecycle: spec.lifecycle,
    owner: spec.owner === undefined ? undefined : resolve(spec.owner, 'group', ['spec', 'owner']),
    system: spec.system === undefined ? undefined : resolve(spec.system, 'system', ['spec', 'system']),
    // Backstage wants an explicit kind in dependsOn; a bare name almost always means a component.
    dependsOn: resolveAll(spec.dependsOn, 'component', 'dependsOn'),
    providesApis: resolveAll(spec.providesApis, 'api', 'providesApis'),
    consumesApis: resolveAll(spec.consumesApis, 'api', 'consumesApis'),
    factory: factory.factory,
    annotations: { ...annotations },
    source: { file: context.file, document: context.document },
  };
  return { entity, issues, unknownAnnotations: factory.unknown };
}

/** zod says "expected string, received undefined"; a user wants to hear the key is missing. */
function requiredKeyMessage(issue: z.core.$ZodRawIssue): string | undefined {
  return issue.code === 'invalid_type' && issue.input === undefined ? `required key is missing (expected ${issue.expected})` : undefined;
}

function toError(issue: Issue, record: string, context: DocumentContext): UfError {
  const point = locatePath(context.root, issue.path, context.lines);
  return new UfError('import_invalid', issue.message, {
    file: context.file,
    line: point?.line,
    column: point?.column,
    path: formatKeyPath(issue.path),
    record,
  });
}

/** The entity's ref when its kind and name can be read, so errors name the entity; else its position. */
function recordOf(value: unknown, context: DocumentContext): string {
  const fallback = `document ${context.document}`;
  if (!isPlainObject(value) || typeof value.kind !== 'string') return fallback;
  const kind = knownKind(value.kind);
  const name = rawName(value);
  if (!kind || name === undefined || !namePattern.test(name)) return fallback;
  const metadata = value.metadata;
  const namespace = isPlainObject(metadata) && typeof metadata.namespace === 'string' ? metadata.namespace : 'default';
  return entityRef(kind, namespace, name);
}

function rawName(value: Record<string, unknown>): string | undefined {
  const metadata = value.metadata;
  return isPlainObject(metadata) && typeof metadata.name === 'string' ? metadata.name : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

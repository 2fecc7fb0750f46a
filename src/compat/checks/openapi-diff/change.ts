/**
 * One difference between two OpenAPI documents, named like oasdiff's checks so that users of
 * oasdiff read the same ids: `breaking` is oasdiff's ERR (a client written against the old
 * document fails against the new one), `warning` its WARN (may break some clients), `info` its
 * INFO (a change-log entry).
 */
export type ChangeLevel = 'breaking' | 'warning' | 'info';

export interface ApiChange {
  /** Stable kebab-case check id, e.g. `request-parameter-removed`. */
  id: string;
  level: ChangeLevel;
  /** HTTP method in capitals (`GET`), or '' for a document-wide change. */
  operation: string;
  /** The path template as the old document writes it (the new one's for additions). */
  path: string;
  /** Where inside the operation: `parameters.query.id`, `responses.200.content.application/json.schema/data/name`. */
  location: string;
  text: string;
}

const levels = {
  // paths and operations
  'endpoint-added': 'info',
  'endpoint-deprecated': 'info',
  'api-path-removed-without-deprecation': 'breaking',
  'api-path-removed-before-sunset': 'breaking',
  'api-path-removed-with-deprecation': 'info',
  'api-path-sunset-parse': 'breaking',
  'api-removed-without-deprecation': 'breaking',
  'api-removed-before-sunset': 'breaking',
  'api-removed-with-deprecation': 'info',
  'api-sunset-parse': 'breaking',
  // security
  'api-security-added': 'info',
  'api-security-removed': 'info',
  'api-security-scope-added': 'breaking',
  'api-security-scope-removed': 'info',
  'api-global-security-added': 'info',
  'api-global-security-removed': 'info',
  'api-global-security-scope-added': 'breaking',
  'api-global-security-scope-removed': 'info',
  // parameters
  'request-parameter-removed': 'warning',
  'request-parameter-removed-with-deprecation': 'info',
  'request-parameter-removed-before-sunset': 'breaking',
  'request-parameter-sunset-parse': 'breaking',
  'new-required-request-parameter': 'breaking',
  'new-optional-request-parameter': 'info',
  'new-request-path-parameter': 'breaking',
  'request-parameter-became-required': 'breaking',
  'request-parameter-became-optional': 'info',
  'request-parameter-default-value-changed': 'breaking',
  'request-parameter-default-value-added': 'breaking',
  'request-parameter-default-value-removed': 'breaking',
  // request bodies
  'added-required-request-body': 'breaking',
  'added-optional-request-body': 'info',
  'request-body-removed': 'breaking',
  'request-body-became-required': 'breaking',
  'request-body-became-optional': 'info',
  'request-body-media-type-added': 'info',
  'request-body-media-type-removed': 'breaking',
  'request-property-removed': 'warning',
  'new-required-request-property': 'breaking',
  'new-required-request-property-with-default': 'info',
  'new-optional-request-property': 'info',
  'request-property-became-required': 'breaking',
  'request-property-became-optional': 'info',
  // responses
  'response-success-status-removed': 'breaking',
  'response-non-success-status-removed': 'info',
  'response-success-status-added': 'info',
  'response-non-success-status-added': 'info',
  'response-media-type-removed': 'breaking',
  'response-media-type-added': 'info',
  'response-required-property-removed': 'breaking',
  'response-optional-property-removed': 'warning',
  'response-required-property-added': 'info',
  'response-optional-property-added': 'info',
  'response-property-became-optional': 'breaking',
  'response-property-became-required': 'info',
} as const satisfies Record<string, ChangeLevel>;

/** Schema checks exist for a parameter, a request body's root and its properties, a response body's root and its properties. */
export type SchemaSubject = 'request-parameter' | 'request-body' | 'request-property' | 'response-body' | 'response-property';

/**
 * The level of a schema check, by its direction. A request accepting less breaks clients (their
 * values are refused); a response sending more breaks clients (they meet values they never expected).
 */
export function schemaCheckLevel(subject: SchemaSubject, check: SchemaCheck): ChangeLevel {
  const request = subject.startsWith('request');
  return request ? requestSchemaLevels[check] : responseSchemaLevels[check];
}

export type SchemaCheck = keyof typeof requestSchemaLevels;

const requestSchemaLevels = {
  'type-changed': 'breaking',
  'type-generalized': 'info',
  'type-specialized': 'breaking',
  'became-nullable': 'info',
  'became-not-nullable': 'breaking',
  'became-enum': 'breaking',
  'enum-value-removed': 'breaking',
  'enum-value-added': 'info',
  'pattern-added': 'warning',
  'pattern-changed': 'warning',
  'pattern-removed': 'info',
  'max-length-set': 'warning',
  'max-length-unset': 'info',
  'max-length-decreased': 'breaking',
  'max-length-increased': 'info',
  'min-length-increased': 'breaking',
  'min-length-decreased': 'info',
  'max-set': 'warning',
  'max-unset': 'info',
  'max-decreased': 'breaking',
  'max-increased': 'info',
  'min-set': 'warning',
  'min-unset': 'info',
  'min-increased': 'breaking',
  'min-decreased': 'info',
  'max-items-set': 'warning',
  'max-items-unset': 'info',
  'max-items-decreased': 'breaking',
  'max-items-increased': 'info',
  'min-items-increased': 'breaking',
  'min-items-decreased': 'info',
  'one-of-added': 'info',
  'one-of-removed': 'breaking',
  'any-of-added': 'info',
  'any-of-removed': 'breaking',
  'all-of-added': 'breaking',
  'all-of-removed': 'warning',
} as const satisfies Record<string, ChangeLevel>;

const responseSchemaLevels: Record<SchemaCheck, ChangeLevel> = {
  'type-changed': 'breaking',
  'type-generalized': 'breaking',
  'type-specialized': 'info',
  'became-nullable': 'breaking',
  'became-not-nullable': 'info',
  'became-enum': 'info',
  'enum-value-removed': 'info',
  'enum-value-added': 'warning',
  'pattern-added': 'info',
  'pattern-changed': 'warning',
  'pattern-removed': 'warning',
  'max-length-set': 'info',
  'max-length-unset': 'breaking',
  'max-length-decreased': 'info',
  'max-length-increased': 'breaking',
  'min-length-increased': 'info',
  'min-length-decreased': 'breaking',
  'max-set': 'info',
  'max-unset': 'breaking',
  'max-decreased': 'info',
  'max-increased': 'breaking',
  'min-set': 'info',
  'min-unset': 'breaking',
  'min-increased': 'info',
  'min-decreased': 'breaking',
  'max-items-set': 'info',
  'max-items-unset': 'breaking',
  'max-items-decreased': 'info',
  'max-items-increased': 'breaking',
  'min-items-increased': 'info',
  'min-items-decreased': 'breaking',
  'one-of-added': 'breaking',
  'one-of-removed': 'info',
  'any-of-added': 'breaking',
  'any-of-removed': 'info',
  'all-of-added': 'info',
  'all-of-removed': 'warning',
};

export type ChangeId = keyof typeof levels;

/** The level of a fixed (non-schema) check. */
export function changeLevel(id: ChangeId): ChangeLevel {
  return levels[id];
}

/** Every id this differ can report, with its level (schema checks expanded per subject), for the README and tests. */
export function knownChecks(): { id: string; level: ChangeLevel }[] {
  const fixed = Object.entries(levels).map(([id, level]) => ({ id, level }));
  const subjects: SchemaSubject[] = ['request-parameter', 'request-body', 'request-property', 'response-body', 'response-property'];
  const schema = subjects.flatMap((subject) => (Object.keys(requestSchemaLevels) as SchemaCheck[]).map((check) => ({ id: `${subject}-${check}`, level: schemaCheckLevel(subject, check) })));
  return [...fixed, ...schema];
}

/** Collects changes for one operation; walkers call `add` with a fixed id or a schema check. */
export class ChangeSink {
  readonly changes: ApiChange[] = [];

  add(id: ChangeId, operation: string, path: string, location: string, text: string): void {
    this.changes.push({ id, level: changeLevel(id), operation, path, location, text });
  }

  addSchema(subject: SchemaSubject, check: SchemaCheck, operation: string, path: string, location: string, text: string): void {
    this.changes.push({ id: `${subject}-${check}`, level: schemaCheckLevel(subject, check), operation, path, location, text });
  }
}

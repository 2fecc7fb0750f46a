/** Schema drift: a live PostgreSQL schema against what its migrations produce in a scratch schema. */
export { diffSchemas, type DiffSchemaOptions } from './diff.js';
export { describeDatabase, detectDrift, type DriftReport, type DriftRequest } from './drift.js';
export { introspect, type CatalogClient } from './introspect.js';
export { createSchemaDriftRunner, describeDrift, type SchemaDriftRunnerOptions, type SchemaDriftSpec } from './runner.js';
export { schemaEscape } from './scope.js';
export { defaultIgnoredTables, driftIds, type ColumnShape, type DriftId, type DriftItem, type SchemaShape, type SequenceShape, type TableShape } from './types.js';

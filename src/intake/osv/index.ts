/** OSV records: schema, normalised model and parsing (name keys: ecosystems/names.ts). */
export { parseOsvDocument, parseOsvRecord, parseOsvText } from './parse.js';
export type { RecordLocation, RecordOutcome } from './parse.js';
export { contentHash } from './content-hash.js';
export { osvRecordSchema } from './schema.js';
export type { OsvRecord } from './schema.js';
export type {
  Advisory,
  Affected,
  AffectedPackage,
  AffectedRange,
  RangeEvent,
  RangeType,
  Reference,
  ReferenceType,
  Severity,
  SeverityType,
} from './types.js';

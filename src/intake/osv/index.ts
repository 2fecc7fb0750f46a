/** OSV records: schema, normalised model, parsing, and the name keys matching uses. */
export { parseOsvDocument, parseOsvRecord, parseOsvText } from './parse.js';
export type { RecordLocation, RecordOutcome } from './parse.js';
export { ecosystemBase, normalizePackageName } from './names.js';
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

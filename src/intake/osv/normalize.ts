import type { OsvAffected, OsvRange, OsvRecord } from './schema.js';
import { eventKinds } from './schema.js';
import type { Advisory, Affected, AffectedRange, RangeEvent } from './types.js';

/** A validated record in the factory's shape: null and absent lists become empty ones. */
export function toAdvisory(record: OsvRecord, contentHash: string): Advisory {
  const advisory: Advisory = {
    id: record.id,
    modified: record.modified,
    aliases: record.aliases ?? [],
    related: record.related ?? [],
    upstream: record.upstream ?? [],
    severity: record.severity ?? [],
    affected: (record.affected ?? []).map(toAffected),
    references: record.references ?? [],
    cwes: cwesOf(record),
    contentHash,
  };
  if (record.published !== undefined) advisory.published = record.published;
  if (record.withdrawn !== undefined) advisory.withdrawn = record.withdrawn;
  if (record.summary !== undefined) advisory.summary = record.summary;
  if (record.details !== undefined) advisory.details = record.details;
  const databaseSeverity = record.database_specific?.['severity'];
  if (typeof databaseSeverity === 'string') advisory.databaseSeverity = databaseSeverity;
  return advisory;
}

function toAffected(entry: OsvAffected): Affected {
  const affected: Affected = {
    ranges: (entry.ranges ?? []).map(toRange),
    versions: entry.versions ?? [],
    severity: entry.severity ?? [],
  };
  if (entry.package) {
    const { ecosystem, name, purl } = entry.package;
    affected.package = purl === undefined ? { ecosystem, name } : { ecosystem, name, purl };
  }
  if (entry.database_specific) affected.databaseSpecific = entry.database_specific;
  if (entry.ecosystem_specific) affected.ecosystemSpecific = entry.ecosystem_specific;
  return affected;
}

function toRange(range: OsvRange): AffectedRange {
  const events = range.events.map((event): RangeEvent => {
    // The schema guarantees exactly one kind holds a string.
    const kind = eventKinds.find((k) => typeof event[k] === 'string') ?? 'introduced';
    return { [kind]: event[kind] as string } as RangeEvent;
  });
  return range.repo === undefined ? { type: range.type, events } : { type: range.type, repo: range.repo, events };
}

const cwePattern = /^CWE-\d+$/;

/**
 * CWE ids in the places databases put them: `database_specific.cwe_ids` (GHSA, the GitHub
 * advisory database) and per-package `database_specific.cwes` as `{cweId, name}` objects (the
 * GHSA-to-OSV converter). Anything else there is ignored: these fields are not standardised.
 */
function cwesOf(record: OsvRecord): string[] {
  const found = new Set<string>();
  const add = (value: unknown): void => {
    const id = typeof value === 'object' && value !== null ? (value as { cweId?: unknown }).cweId : value;
    if (typeof id === 'string' && cwePattern.test(id)) found.add(id);
  };
  listOf(record.database_specific?.['cwe_ids']).forEach(add);
  for (const entry of record.affected ?? []) listOf(entry.database_specific?.['cwes']).forEach(add);
  return [...found];
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

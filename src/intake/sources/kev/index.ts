import { UfError } from '../../../core/errors.js';
import { inputLimit } from '../../../core/input/index.js';
import { parseJsonText } from '../../../core/json-text.js';
import { jsonLocation, jsonLocator } from '../../osv/json.js';
import { decodeUtf8 } from '../events.js';
import { readLocalCopy, type LocalCopyOptions } from '../http-cache/index.js';
import { kevEntrySchema, kevEnvelopeSchema, type KevEntryJson } from './schema.js';
import type { KevCatalog, KevEntry } from './types.js';

export type { KevCatalog, KevEntry } from './types.js';

/**
 * Reads the KEV catalog's JSON. Malformed JSON throws `parse_error`; a document without the
 * catalog's envelope throws `import_invalid`. Each entry is checked on its own: a bad or repeated
 * entry becomes an error in `errors` (the first of two repeats is kept) and the rest are read.
 */
export function parseKevText(text: string, file: string): KevCatalog {
  const json = parseJsonText(text, { file });
  const envelope = kevEnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    const location = jsonLocation(file, undefined, issue?.path ?? [], text);
    throw new UfError('import_invalid', `not a KEV catalog: ${issue?.message ?? 'unexpected shape'}`, location);
  }
  const { vulnerabilities, ...header } = envelope.data;
  const catalog: KevCatalog = { ...header, entries: new Map(), errors: [], invalid: 0 };
  const locate = jsonLocator(file, text);
  vulnerabilities.forEach((value, index) => {
    const entry = kevEntrySchema.safeParse(value);
    const record = recordName(value, index);
    if (!entry.success) {
      const issue = entry.error.issues[0];
      const location = locate(record, ['vulnerabilities', index, ...(issue?.path ?? [])]);
      catalog.errors.push(new UfError('import_invalid', `not a valid KEV entry: ${issue?.message ?? 'unexpected shape'}`, location));
      catalog.invalid += 1;
      return;
    }
    if (catalog.entries.has(entry.data.cveID)) {
      const location = locate(record, ['vulnerabilities', index]);
      catalog.errors.push(new UfError('import_invalid', 'the catalog lists this CVE twice; the first entry is kept', location));
      catalog.invalid += 1;
      return;
    }
    catalog.entries.set(entry.data.cveID, toEntry(entry.data));
  });
  if (header.count !== vulnerabilities.length) {
    const message = `the catalog says it has ${header.count} entries but lists ${vulnerabilities.length}`;
    catalog.errors.push(new UfError('import_invalid', message, locate(undefined, ['count'])));
  }
  return catalog;
}

/** Reads the catalog from a file, or from an http(s) URL through the cache (`cacheDir` required then). */
export async function loadKev(spec: string | URL, options: LocalCopyOptions = {}): Promise<KevCatalog> {
  const { bytes, label } = await readLocalCopy(spec, { limit: inputLimit('kev'), ...options });
  return parseKevText(decodeUtf8(bytes, label), label);
}

function toEntry(json: KevEntryJson): KevEntry {
  const { knownRansomwareCampaignUse = 'Unknown', cwes = [], notes, ...rest } = json;
  const entry: KevEntry = {
    ...rest,
    knownRansomwareCampaignUse,
    knownRansomware: knownRansomwareCampaignUse.toLowerCase() === 'known',
    cwes,
  };
  if (notes !== undefined) entry.notes = notes;
  return entry;
}

function recordName(value: unknown, index: number): string {
  const id = value !== null && typeof value === 'object' ? (value as { cveID?: unknown }).cveID : undefined;
  return typeof id === 'string' && id !== '' ? id : `vulnerabilities[${index}]`;
}

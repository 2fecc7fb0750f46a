import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { UfError } from '../../core/errors.js';
import type { EntityRef } from '../../core/service-map.js';
import { readEntityDocument } from './entity.js';
import type { ParseCatalogResult } from './types.js';
import { locatePath } from '../../config/yaml-location.js';

/** Expanding more aliases than this in one document is an alias bomb, not a catalog. */
const maxAliasCount = 100;

/**
 * Reads a Backstage `catalog-info.yaml` (one or more `---` separated documents). Never throws: each
 * bad document becomes errors in the result and the other documents still come through, so the
 * caller decides whether a partly valid file may be committed.
 */
export function parseCatalogFile(text: string, file: string): ParseCatalogResult {
  const result: ParseCatalogResult = { entities: [], errors: [], warnings: [], skipped: [] };
  const lines = new LineCounter();
  let documents: Document.Parsed[];
  try {
    documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    // The parser reports problems in `doc.errors`; this is a guard for the unexpected.
    result.errors.push(new UfError('parse_error', `invalid YAML: ${firstLine(error)}`, { file }, { cause: error }));
    return result;
  }
  const firstSeen = new Map<EntityRef, number>();
  documents.forEach((doc, index) => {
    const document = index + 1;
    const yamlError = doc.errors[0];
    if (yamlError) {
      const { line, col } = lines.linePos(yamlError.pos[0]);
      const message = `invalid YAML in document ${document}: ${firstLine(yamlError)}`;
      result.errors.push(new UfError('parse_error', message, { file, line, column: col }, { cause: yamlError }));
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount });
    } catch (error) {
      // Unresolved aliases and alias bombs surface here, not in `doc.errors`.
      const start = doc.contents?.range?.[0];
      const line = start === undefined ? undefined : lines.linePos(start).line;
      const message = `invalid YAML in document ${document}: ${firstLine(error)}`;
      result.errors.push(new UfError('parse_error', message, { file, line }, { cause: error }));
      return;
    }
    const outcome = readEntityDocument(value, { file, document, root: doc.contents, lines });
    if (outcome.status === 'skipped') result.skipped.push(outcome.skipped);
    if (outcome.status === 'invalid') result.errors.push(...outcome.errors);
    if (outcome.status !== 'entity') return;
    const { entity } = outcome;
    const earlier = firstSeen.get(entity.ref);
    if (earlier !== undefined) {
      const point = locatePath(doc.contents, ['metadata', 'name'], lines);
      const message = `duplicate entity: document ${earlier} of this file already defines ${entity.ref}`;
      const location = { file, line: point?.line, column: point?.column, path: 'metadata.name', record: entity.ref };
      result.errors.push(new UfError('import_invalid', message, location));
      return;
    }
    firstSeen.set(entity.ref, document);
    result.entities.push(entity);
    result.warnings.push(...outcome.warnings);
  });
  return result;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

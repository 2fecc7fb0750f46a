import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UfError, isUfError } from '../core/errors.js';
import type { Store } from '../store/open.js';
import { importCatalog, findService, type CatalogImportResult } from '../store/repos/catalog.js';
import { importInventory, type InventoryImportResult } from '../store/repos/inventory.js';
import { parseInventory } from './inventory/index.js';
import { parseCatalogFile } from './service-map/index.js';

/**
 * File-level import jobs used by the CLI, the API and the demo. Each file is one transaction: a
 * file with any error stores nothing, and the other files of the batch still go through.
 */
export interface FileOutcome<T> {
  file: string;
  result?: T;
  errors: UfError[];
  warnings: UfError[];
}

export async function importCatalogFiles(
  store: Store,
  files: string[],
  actor: string,
  onFile: (file: string) => void = () => {},
): Promise<FileOutcome<CatalogImportResult & { entities: number }>[]> {
  const outcomes: FileOutcome<CatalogImportResult & { entities: number }>[] = [];
  for (const file of files) {
    onFile(file);
    const text = readText(file);
    if (isUfError(text)) {
      outcomes.push({ file, errors: [text], warnings: [] });
      continue;
    }
    const parsed = parseCatalogFile(text, file);
    if (parsed.errors.length > 0) {
      outcomes.push({ file, errors: parsed.errors, warnings: parsed.warnings });
      continue;
    }
    try {
      const result = await importCatalog(store, { files: [file], entities: parsed.entities, actor });
      outcomes.push({ file, result: { ...result, entities: parsed.entities.length }, errors: [], warnings: parsed.warnings });
    } catch (error) {
      // A typed store fault (busy past the wait, full, read-only) is this file's outcome; the rest
      // of the batch is still attempted and the command reports each file.
      if (!isUfError(error)) throw error;
      outcomes.push({ file, errors: [error], warnings: parsed.warnings });
    }
  }
  return outcomes;
}

export interface InventoryJob {
  service: string;
  environment: string;
  file: string;
}

export async function importInventoryFiles(
  store: Store,
  jobs: InventoryJob[],
  context: { environments: string[]; actor: string },
  onFile: (job: InventoryJob) => void = () => {},
): Promise<FileOutcome<InventoryImportResult & InventoryJob>[]> {
  const outcomes: FileOutcome<InventoryImportResult & InventoryJob>[] = [];
  for (const job of jobs) {
    onFile(job);
    try {
      if (!context.environments.includes(job.environment)) {
        throw new UfError('import_invalid', `environment '${job.environment}' is not configured (environments: ${context.environments.join(', ')})`, {
          file: job.file,
        });
      }
      const service = await findService(store.db, job.service);
      if (!service) {
        throw new UfError('import_invalid', `service '${job.service}' is not a Component on the service map; import its catalog-info.yaml first`, {
          file: job.file,
        });
      }
      const text = readText(job.file);
      if (isUfError(text)) throw text;
      const parsed = parseInventory(text, job.file);
      const sha256 = createHash('sha256').update(text).digest('hex');
      const result = await importInventory(store, { service: service.name, environment: job.environment, file: job.file, sha256, parsed, actor: context.actor });
      const warnings = parsed.skipped.map((s) => new UfError('import_invalid', `skipped: ${s.reason}`, { file: job.file, record: s.record }));
      outcomes.push({ file: job.file, result: { ...result, ...job, service: service.name }, errors: [], warnings });
    } catch (error) {
      if (!isUfError(error)) throw error;
      outcomes.push({ file: job.file, errors: [error], warnings: [] });
    }
  }
  return outcomes;
}

function readText(file: string): string | UfError {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return new UfError('usage', code === 'ENOENT' ? 'file not found' : `cannot read file: ${(error as Error).message}`, { file });
  }
}

import { createHash } from 'node:crypto';
import { systemClock, type Clock } from '../core/clock.js';
import { UfError, isUfError } from '../core/errors.js';
import type { ParsedInventory } from '../core/inventory.js';
import { inputLimit, readTextInputSync, type InputKind, type InputLimits } from '../core/input/index.js';
import type { Store } from '../store/open.js';
import { countServices, importCatalog, findService, type CatalogImportResult } from '../store/repos/catalog.js';
import { importInventory, type InventoryImportResult } from '../store/repos/inventory.js';
import { parseInventory } from '../catalog/inventory/index.js';
import { guardRemovals } from '../catalog/removal-guard.js';
import { parseCatalogFile, type ParseCatalogResult } from '../catalog/service-map/index.js';
import type { EventPublisher } from './events.js';

/**
 * File-level import jobs used by the CLI, the API and the demo. Each file is one transaction: a
 * file with any error stores nothing, and the other files of the batch still go through. Each
 * file stored is announced as `import.completed` once its transaction committed.
 */
export interface FileOutcome<T> {
  file: string;
  result?: T;
  errors: UfError[];
  warnings: UfError[];
}

export interface ImportOptions {
  /** Size limits per kind of input (`limits` in factory.yaml); defaults otherwise. */
  limits?: Partial<InputLimits>;
  /** Let an import remove more than half of what it replaces (`--allow-removals`). */
  allowRemovals?: boolean;
  /** Where `import.completed` goes; nowhere when absent. */
  events?: EventPublisher;
  /** The time stamped on events. */
  clock?: Clock;
}

/** Reads an inventory file's text (the root's inventory importers); `parseInventory` by default. */
export type InventoryReader = (text: string, file: string) => ParsedInventory;

export async function importCatalogFiles(
  store: Store,
  files: string[],
  actor: string,
  onFile: (file: string) => void = () => {},
  options: ImportOptions = {},
): Promise<FileOutcome<CatalogImportResult & { entities: number }>[]> {
  // In file order, though every file is read before any is stored (see `inBatch`).
  const outcomes: FileOutcome<CatalogImportResult & { entities: number }>[] = [];
  const readable: { index: number; file: string; parsed: ParseCatalogResult }[] = [];
  for (const [index, file] of files.entries()) {
    onFile(file);
    const text = readText(file, 'catalog', options.limits);
    if (isUfError(text)) outcomes[index] = { file, errors: [text], warnings: [] };
    else {
      const parsed = parseCatalogFile(text, file);
      if (parsed.errors.length > 0) outcomes[index] = { file, errors: parsed.errors, warnings: parsed.warnings };
      else readable.push({ index, file, parsed });
    }
  }
  // An entity moved from one file to another of the same batch leaves the first and lands in the
  // second: not a removal the guard should count.
  const inBatch = new Set(readable.flatMap(({ parsed }) => parsed.entities.map((e) => e.ref)));
  for (const { index, file, parsed } of readable) {
    const yielded = parsed.entities.length;
    const checkRemovals = ({ replacing, removed }: { replacing: number; removed: readonly string[] }): void => {
      const removing = removed.filter((ref) => !inBatch.has(ref)).length;
      guardRemovals({ file, noun: 'entities', yielded, replacing, removing }, options.allowRemovals === true);
    };
    try {
      const result = await importCatalog(store, { files: [file], entities: parsed.entities, actor, checkRemovals });
      outcomes[index] = { file, result: { ...result, entities: yielded }, errors: [], warnings: parsed.warnings };
      options.events?.publish({ type: 'import.completed', kind: 'catalog', file, actor, at: (options.clock ?? systemClock).now().toISOString() });
    } catch (error) {
      if (!isUfError(error)) throw error;
      outcomes[index] = { file, errors: [error], warnings: parsed.warnings };
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
  context: { environments: string[]; actor: string; readInventory?: InventoryReader } & ImportOptions,
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
      if (!service) throw await unknownService(store, job);
      const text = readText(job.file, 'inventory', context.limits);
      if (isUfError(text)) throw text;
      const parsed = (context.readInventory ?? parseInventory)(text, job.file);
      const sha256 = createHash('sha256').update(text).digest('hex');
      const checkRemovals = (counts: { replacing: number; removing: number }): void =>
        guardRemovals({ file: job.file, noun: 'components', yielded: parsed.components.length, ...counts }, context.allowRemovals === true);
      const result = await importInventory(store, {
        service: service.name,
        environment: job.environment,
        file: job.file,
        sha256,
        parsed,
        actor: context.actor,
        checkRemovals,
      });
      const warnings = parsed.skipped.map((s) => new UfError('import_invalid', `skipped: ${s.reason}`, { file: job.file, record: s.record }));
      outcomes.push({ file: job.file, result: { ...result, ...job, service: service.name }, errors: [], warnings });
      const at = (context.clock ?? systemClock).now().toISOString();
      context.events?.publish({ type: 'import.completed', kind: 'inventory', file: job.file, service: service.name, environment: job.environment, actor: context.actor, at });
    } catch (error) {
      if (!isUfError(error)) throw error;
      outcomes.push({ file: job.file, errors: [error], warnings: [] });
    }
  }
  return outcomes;
}

/**
 * An inventory names its service by catalog name, so it can only be stored once the catalog holds
 * that Component; say which of the two is missing, since an emptied catalog refuses every one.
 */
async function unknownService(store: Store, job: InventoryJob): Promise<UfError> {
  const known = await countServices(store.db);
  const why = known === 0 ? 'the catalog holds no services' : `the catalog's ${known} services do not include it`;
  const message = `service '${job.service}' is not in the catalog (${why}); import the catalog-info.yaml that defines it first (uf catalog import)`;
  return new UfError('import_invalid', message, { file: job.file });
}

/** The file's text, bounded by its kind's limit and decoded under the one UTF-8 rule. */
function readText(file: string, kind: InputKind, limits: Partial<InputLimits> | undefined): string | UfError {
  try {
    return readTextInputSync(file, inputLimit(kind, limits));
  } catch (error) {
    if (isUfError(error)) return error;
    const code = (error as NodeJS.ErrnoException).code;
    return new UfError('usage', code === 'ENOENT' ? 'file not found' : `cannot read file: ${(error as Error).message}`, { file });
  }
}

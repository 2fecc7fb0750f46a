import { packageKey } from '../../ecosystems/names.js';
import { isAbsolute, resolve } from 'node:path';
import { isUfError, UfError } from '../../core/errors.js';
import { inputLimit, readTextInputSync, type InputKind, type InputLimit, type InputLimits } from '../../core/input/index.js';
import type { Advisory } from '../osv/types.js';
import { parseReleaseNotes, type ReleaseNotes } from '../release-notes/index.js';
import { parseEolProduct, type EolProduct } from '../sources/eol/index.js';
import type { AdvisorySource, EpssData, KevCatalog, SourceOptions } from '../sources/index.js';
import type { FactoryConfig } from '../../config/schema.js';
import { judgeSource, sourceKey, type SourceKind, type SourceReport } from './source-health.js';

export interface SourceProblem {
  source: string;
  message: string;
}

export interface ReadResult {
  advisories: Map<string, { advisory: Advisory; source: string }>;
  /** Set only when the catalog was read and passed the health check: it may replace the stored one. */
  kev?: KevCatalog;
  /** Set only when the scores were read and passed the health check. */
  epss?: EpssData;
  releaseNotes: Map<string, ReleaseNotes>;
  eol: Map<string, EolProduct>;
  problems: SourceProblem[];
  /** Sources that could not be read at all: their advisories are not retired, only not refreshed. */
  unreachable: string[];
  /** Each configured advisory, KEV and EPSS source: its counts and whether its data was accepted. */
  sources: SourceReport[];
  /** OSV records kept with a problem (unreadable versions) plus records rejected, over every source. */
  invalidAdvisories: number;
}

/**
 * The readers intake takes its data from, one per kind of configured input. Built by the
 * composition root (`src/app/adapters.ts`); intake only reads through it.
 */
export interface IntakeSources {
  /** The advisory source for a place OSV records are: a file, a folder, a zip export or an http(s) URL. */
  osv(spec: string, options: SourceOptions): AdvisorySource;
  kev(spec: string, options: { cacheDir: string; limit: InputLimit }): Promise<KevCatalog>;
  epss(spec: string, options: { cacheDir: string; limit: InputLimit }): Promise<EpssData>;
}


export function resolveSpec(baseDir: string, spec: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(spec) || isAbsolute(spec) ? spec : resolve(baseDir, spec);
}

/**
 * Reads every configured source. Problems are collected per record or file; nothing throws.
 * `previous` holds each source's valid count at its last accepted read (see `sourceKey`): a source
 * that fails the health check (`judgeSource`) contributes nothing, exactly like an unreachable one,
 * so what it stored before stays.
 * Each input is bounded by its kind's size limit (`limits` in factory.yaml; defaults when not given).
 */
export async function readSources(
  sources: IntakeSources,
  intake: FactoryConfig['intake'],
  baseDir: string,
  onProgress: (label: string, done: number, total?: number) => void,
  limits: Partial<InputLimits> = {},
  previous: ReadonlyMap<string, number> = new Map(),
): Promise<ReadResult> {
  const cacheDir = resolve(baseDir, intake.cacheDir);
  const result: ReadResult = { advisories: new Map(), releaseNotes: new Map(), eol: new Map(), problems: [], unreachable: [], sources: [], invalidAdvisories: 0 };
  const problem = (source: string, error: unknown) => {
    if (!isUfError(error)) throw error;
    result.problems.push({ source, message: error.describe() });
  };
  /**
   * Records the source's report; true when its data may be used. A failure is listed before the
   * source's own problems (from `mark` on), so the first lines a user sees name the failed source.
   */
  const judge = (kind: SourceKind, spec: string, valid: number, invalid: number, mark: number): boolean => {
    const before = previous.get(sourceKey(kind, spec));
    const reason = judgeSource({ valid, invalid, previous: before }, intake.sourceHealth);
    result.sources.push({ source: spec, kind, status: reason ? 'failed' : 'ok', valid, invalid, ...(before !== undefined ? { previous: before } : {}), ...(reason ? { reason } : {}) });
    if (reason) result.problems.splice(mark, 0, { source: spec, message: `${spec}: source failed, what it stored before is kept: ${reason}` });
    return reason === undefined;
  };
  const unreachable = (kind: SourceKind, spec: string, error: unknown) => {
    problem(spec, error);
    result.unreachable.push(spec);
    const before = previous.get(sourceKey(kind, spec));
    result.sources.push({ source: spec, kind, status: 'unreachable', valid: 0, invalid: 0, ...(before !== undefined ? { previous: before } : {}), reason: isUfError(error) ? error.describe() : String(error) });
  };

  for (const spec of intake.advisories) {
    const target = resolveSpec(baseDir, spec);
    // Buffered per source: a source that fails the health check must not replace anything.
    const records = new Map<string, { advisory: Advisory; source: string }>();
    const mark = result.problems.length;
    let valid = 0;
    let invalid = 0;
    try {
      const source = sources.osv(target, { cacheDir, limits });
      for await (const event of source.read({ onProgress: (done, total) => onProgress(`advisories ${spec}`, done, total) })) {
        if (event.type === 'error') {
          problem(source.name, event.error);
          invalid++;
          continue;
        }
        if (event.warnings && event.warnings.length > 0) {
          for (const warning of event.warnings) problem(source.name, warning);
          invalid++;
        } else {
          valid++;
        }
        keepNewer(records, { advisory: event.advisory, source: source.name });
      }
    } catch (error) {
      unreachable('advisories', spec, error);
      continue;
    }
    result.invalidAdvisories += invalid;
    if (!judge('advisories', spec, valid, invalid, mark)) continue;
    for (const record of records.values()) keepNewer(result.advisories, record);
  }
  if (intake.kev) {
    try {
      const kev = await sources.kev(resolveSpec(baseDir, intake.kev), { cacheDir, limit: inputLimit('kev', limits) });
      const mark = result.problems.length;
      for (const error of kev.errors) problem(intake.kev, error);
      if (judge('kev', intake.kev, kev.entries.size, kev.invalid, mark)) result.kev = kev;
    } catch (error) {
      unreachable('kev', intake.kev, error);
    }
  }
  if (intake.epss) {
    try {
      const epss = await sources.epss(resolveSpec(baseDir, intake.epss), { cacheDir, limit: inputLimit('epss', limits) });
      const mark = result.problems.length;
      for (const error of epss.errors) problem(intake.epss, error);
      if (judge('epss', intake.epss, epss.scores.size, epss.invalid, mark)) result.epss = epss;
    } catch (error) {
      unreachable('epss', intake.epss, error);
    }
  }
  for (const notes of intake.releaseNotes) {
    const file = resolveSpec(baseDir, notes.file);
    try {
      const parsed = parseReleaseNotes(readText(file, 'releaseNotes', limits), file);
      for (const warning of parsed.warnings) problem(notes.file, warning);
      result.releaseNotes.set(packageKey(notes.ecosystem, notes.name), parsed);
    } catch (error) {
      problem(notes.file, error);
    }
  }
  for (const entry of intake.endOfLife) {
    const file = resolveSpec(baseDir, entry.file);
    try {
      const product = parseEolProduct(readText(file, 'endOfLife', limits), file, entry.product);
      for (const error of product.errors) problem(entry.file, error);
      result.eol.set(packageKey(entry.ecosystem, entry.name), product);
    } catch (error) {
      problem(entry.file, error);
    }
  }
  return result;
}

/** The same record from two places: the more recently modified copy wins. */
function keepNewer(into: Map<string, { advisory: Advisory; source: string }>, record: { advisory: Advisory; source: string }): void {
  const known = into.get(record.advisory.id);
  if (!known || known.advisory.modified < record.advisory.modified) into.set(record.advisory.id, record);
}

/** The file's text under the one rule for every reader: bounded, UTF-8, byte-order mark dropped. */
function readText(file: string, kind: InputKind, limits: Partial<InputLimits>): string {
  try {
    return readTextInputSync(file, inputLimit(kind, limits));
  } catch (error) {
    if (isUfError(error)) throw error;
    throw new UfError('not_found', `cannot read: ${(error as Error).message}`, { file });
  }
}

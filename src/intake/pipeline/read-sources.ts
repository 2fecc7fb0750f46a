import { isAbsolute, resolve } from 'node:path';
import { isUfError, UfError } from '../../core/errors.js';
import { inputLimit, readTextInputSync, type InputKind, type InputLimits } from '../../core/input/index.js';
import type { Advisory } from '../osv/types.js';
import { parseReleaseNotes, type ReleaseNotes } from '../release-notes/index.js';
import { parseEolProduct, type EolProduct } from '../sources/eol/index.js';
import { advisorySourceFor, loadEpss, loadKev, type EpssData, type KevCatalog } from '../sources/index.js';
import type { FactoryConfig } from '../../config/schema.js';

export interface SourceProblem {
  source: string;
  message: string;
}

export interface ReadResult {
  advisories: Map<string, { advisory: Advisory; source: string }>;
  kev?: KevCatalog;
  epss?: EpssData;
  releaseNotes: Map<string, ReleaseNotes>;
  eol: Map<string, EolProduct>;
  problems: SourceProblem[];
  /** Sources that could not be read at all: their advisories are not retired, only not refreshed. */
  unreachable: string[];
}

export const componentKey = (ecosystem: string, name: string): string => `${ecosystem}\u0000${name}`;

export function resolveSpec(baseDir: string, spec: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(spec) || isAbsolute(spec) ? spec : resolve(baseDir, spec);
}

/**
 * Reads every configured source. Problems are collected per record or file; nothing throws. Each
 * input is bounded by its kind's size limit (`limits` in factory.yaml; defaults when not given).
 */
export async function readSources(
  intake: FactoryConfig['intake'],
  baseDir: string,
  onProgress: (label: string, done: number, total?: number) => void,
  limits: Partial<InputLimits> = {},
): Promise<ReadResult> {
  const cacheDir = resolve(baseDir, intake.cacheDir);
  const result: ReadResult = { advisories: new Map(), releaseNotes: new Map(), eol: new Map(), problems: [], unreachable: [] };
  const problem = (source: string, error: unknown) => {
    if (!isUfError(error)) throw error;
    result.problems.push({ source, message: error.describe() });
  };
  for (const spec of intake.advisories) {
    const target = resolveSpec(baseDir, spec);
    try {
      const source = advisorySourceFor(target, { cacheDir, limits });
      for await (const event of source.read({ onProgress: (done, total) => onProgress(`advisories ${spec}`, done, total) })) {
        if (event.type === 'error') {
          problem(source.name, event.error);
          continue;
        }
        const known = result.advisories.get(event.advisory.id);
        // The same record from two sources: the more recently modified copy wins.
        if (!known || known.advisory.modified < event.advisory.modified) result.advisories.set(event.advisory.id, { advisory: event.advisory, source: source.name });
      }
    } catch (error) {
      problem(spec, error);
      result.unreachable.push(spec);
    }
  }
  if (intake.kev) {
    try {
      result.kev = await loadKev(resolveSpec(baseDir, intake.kev), { cacheDir, limit: inputLimit('kev', limits) });
      for (const error of result.kev.errors) problem(intake.kev, error);
    } catch (error) {
      problem(intake.kev, error);
      result.unreachable.push(intake.kev);
    }
  }
  if (intake.epss) {
    try {
      result.epss = await loadEpss(resolveSpec(baseDir, intake.epss), { cacheDir, limit: inputLimit('epss', limits) });
      for (const error of result.epss.errors) problem(intake.epss, error);
    } catch (error) {
      problem(intake.epss, error);
      result.unreachable.push(intake.epss);
    }
  }
  for (const notes of intake.releaseNotes) {
    const file = resolveSpec(baseDir, notes.file);
    try {
      const parsed = parseReleaseNotes(readText(file, 'releaseNotes', limits), file);
      for (const warning of parsed.warnings) problem(notes.file, warning);
      result.releaseNotes.set(componentKey(notes.ecosystem, notes.name), parsed);
    } catch (error) {
      problem(notes.file, error);
    }
  }
  for (const entry of intake.endOfLife) {
    const file = resolveSpec(baseDir, entry.file);
    try {
      const product = parseEolProduct(readText(file, 'endOfLife', limits), file, entry.product);
      for (const error of product.errors) problem(entry.file, error);
      result.eol.set(componentKey(entry.ecosystem, entry.name), product);
    } catch (error) {
      problem(entry.file, error);
    }
  }
  return result;
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

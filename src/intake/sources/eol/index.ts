import { UfError } from '../../../core/errors.js';
import { formatKeyPath } from '../../../core/key-path.js';
import { parseJsonText } from '../../../core/json-text.js';
import { eolCycleSchema } from './schema.js';

export interface EolCycle {
  cycle: string;
  /** ISO date when support ends; `true` = ended (date unknown); `false` = no end announced. */
  eol: string | boolean;
  latest?: string;
}

export interface EolProduct {
  product: string;
  cycles: EolCycle[];
  errors: UfError[];
}

/** Reads endoflife.date product data; a bad cycle is reported with its index and skipped. */
export function parseEolProduct(text: string, file: string, product: string): EolProduct {
  const json = parseJsonText(text, { file });
  if (!Array.isArray(json)) throw new UfError('import_invalid', 'expected a JSON array of release cycles (endoflife.date format)', { file });
  const cycles: EolCycle[] = [];
  const errors: UfError[] = [];
  json.forEach((item: unknown, index) => {
    const parsed = eolCycleSchema.safeParse(item);
    if (parsed.success) {
      cycles.push({ cycle: parsed.data.cycle, eol: parsed.data.eol, ...(parsed.data.latest !== undefined ? { latest: parsed.data.latest } : {}) });
      return;
    }
    const issue = parsed.error.issues[0]!;
    errors.push(new UfError('import_invalid', issue.message, { file, path: formatKeyPath([index, ...issue.path]) }));
  });
  return { product, cycles, errors };
}

/**
 * The cycle a version belongs to: the longest cycle that equals the version or is a prefix of it
 * at a dot boundary (`2.14` for `2.14.1`, `14` for `14.21.3`).
 */
export function cycleOf(product: EolProduct, version: string): EolCycle | undefined {
  const plain = version.replace(/^v/, '');
  return product.cycles
    .filter((c) => plain === c.cycle || plain.startsWith(`${c.cycle}.`))
    .sort((a, b) => b.cycle.length - a.cycle.length)[0];
}

/** Days from `now` to the cycle's end of support: negative once past, undefined when none is announced. */
export function daysToEol(cycle: EolCycle, now: Date): number | undefined {
  if (cycle.eol === false) return undefined;
  if (cycle.eol === true) return -1;
  return Math.floor((Date.parse(`${cycle.eol}T00:00:00Z`) - now.getTime()) / 86_400_000);
}


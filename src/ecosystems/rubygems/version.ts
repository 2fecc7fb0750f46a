import { compareDigits, compareText, incrementDigits, isDigits, stripZeros, type Order } from '../common/digits.js';

/**
 * A RubyGems version as `Gem::Version` reads it: `-` becomes `.pre.`, then the text splits into
 * runs of digits and runs of letters (`1.0.a10` and `1.0.a.10` both give 1, 0, "a", 10).
 */
export interface GemVersion {
  text: string;
  /** Every segment, digits without leading zeros or letters as written. */
  segments: readonly string[];
  /** The segments `<=>` compares: trailing zeros dropped from the numeric head and from the rest. */
  canonical: readonly string[];
}

/**
 * Gem::Version wants dot-separated alphanumeric segments after a leading number; this accepts a
 * letter straight after a digit too (`1beta`), as OSV's comparator does.
 */
const gemPattern = /^[0-9][0-9A-Za-z-]*(?:\.[0-9A-Za-z-]+)*$/;

export function parseGemVersion(input: string): GemVersion | undefined {
  const text = input.trim();
  if (!gemPattern.test(text)) return undefined;
  const segments = (text.replaceAll('-', '.pre.').match(/[0-9]+|[a-z]+/gi) ?? []).map((s) => (isDigits(s) ? stripZeros(s) : s));
  return { text, segments, canonical: canonicalSegments(segments) };
}

function canonicalSegments(segments: readonly string[]): string[] {
  const firstText = segments.findIndex((s) => !isDigits(s));
  const head = firstText < 0 ? [...segments] : segments.slice(0, firstText);
  const tail = firstText < 0 ? [] : segments.slice(firstText);
  return [...dropTrailingZeros(head), ...dropTrailingZeros(tail)];
}

function dropTrailingZeros(segments: string[]): string[] {
  let end = segments.length;
  while (end > 0 && segments[end - 1] === '0') end--;
  return segments.slice(0, end);
}

/** `Gem::Version#<=>`: missing segments count as 0; a number outranks letters; letters compare as bytes. */
export function compareGems(a: GemVersion, b: GemVersion): Order {
  const length = Math.max(a.canonical.length, b.canonical.length);
  for (let i = 0; i < length; i++) {
    const [x, y] = [a.canonical[i] ?? '0', b.canonical[i] ?? '0'];
    if (x === y) continue;
    const [xNumeric, yNumeric] = [isDigits(x), isDigits(y)];
    if (xNumeric !== yNumeric) return xNumeric ? 1 : -1;
    return xNumeric ? compareDigits(x, y) : compareText(x, y);
  }
  return 0;
}

/** Letters anywhere, including the `pre` a hyphen turns into, make a pre-release. */
export const isGemPrerelease = (v: GemVersion): boolean => v.segments.some((s) => !isDigits(s));

/** `Gem::Version#release`: a pre-release without its letters and what follows them. */
export function gemRelease(v: GemVersion): GemVersion {
  if (!isGemPrerelease(v)) return v;
  const firstText = v.segments.findIndex((s) => !isDigits(s));
  const kept = v.segments.slice(0, firstText);
  return { text: kept.join('.'), segments: kept, canonical: canonicalSegments(kept) };
}

/** `Gem::Version#bump`: drop letters and the last number, then add one to the new last number. */
export function gemBump(v: GemVersion): GemVersion {
  const firstText = v.segments.findIndex((s) => !isDigits(s));
  const numbers = firstText < 0 ? [...v.segments] : v.segments.slice(0, firstText);
  if (numbers.length > 1) numbers.pop();
  const last = numbers.length - 1;
  numbers[last] = incrementDigits(numbers[last] ?? '0');
  return { text: numbers.join('.'), segments: numbers, canonical: canonicalSegments(numbers) };
}

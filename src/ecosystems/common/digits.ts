/** -1, 0 or 1, the shape `VersionScheme.compare` returns. */
export type Order = -1 | 0 | 1;

export function sign(n: number): Order {
  if (n < 0) return -1;
  return n > 0 ? 1 : 0;
}

export const isDigits = (text: string): boolean => /^[0-9]+$/.test(text);

/**
 * Compares two runs of ASCII digits by value, at any length: ecosystems allow numbers past
 * 2^53 (the fixtures hold 30-digit ones), so neither Number nor a parse step is safe.
 */
export function compareDigits(a: string, b: string): Order {
  const x = stripZeros(a);
  const y = stripZeros(b);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  if (x === y) return 0;
  return x < y ? -1 : 1;
}

/** Byte-wise (code unit) string order, the order Go, Ruby, PHP and Python use for text parts. */
export function compareText(a: string, b: string): Order {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

export function stripZeros(digits: string): string {
  const trimmed = digits.replace(/^0+/, '');
  return trimmed === '' ? '0' : trimmed;
}

/** Adds one to a run of digits of any length (`1.9` bumps to `2`, `999` to `1000`). */
export function incrementDigits(digits: string): string {
  const chars = digits.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] !== '9') {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join('');
    }
    chars[i] = '0';
  }
  return `1${chars.join('')}`;
}

import { compareDigits, compareText, type Order } from '../common/digits.js';

/**
 * A version PEP 440 cannot read (`0.1-bulbasaur`, `2019.12.304-advent`), ordered the way
 * setuptools and `packaging` before 22.0 ordered their LegacyVersion: below every PEP 440
 * version, and among themselves by setuptools' old component key.
 */
export interface LegacyVersion {
  kind: 'legacy';
  text: string;
  key: readonly string[];
}

/** Letters, digits and the separators such versions use; anything else is not a version at all. */
const legacyPattern = /^(?=.*[A-Za-z0-9])[A-Za-z0-9._+!:~-]+$/;
const replacements: Record<string, string> = { pre: 'c', preview: 'c', '-': 'final-', rc: 'c', dev: '@' };

export function parseLegacy(text: string): LegacyVersion | undefined {
  if (!legacyPattern.test(text)) return undefined;
  return { kind: 'legacy', text, key: legacyKey(text.toLowerCase()) };
}

function legacyKey(text: string): string[] {
  const parts: string[] = [];
  for (const raw of text.split(/(\d+|[a-z]+|\.|-)/)) {
    const part = replacements[raw] ?? raw;
    if (part === '' || part === '.') continue;
    const component = /^\d/.test(part) ? part.padStart(8, '0') : `*${part}`;
    if (component.startsWith('*')) {
      if (component < '*final') while (parts[parts.length - 1] === '*final-') parts.pop();
      while (parts[parts.length - 1] === '00000000') parts.pop();
    }
    parts.push(component);
  }
  parts.push('*final');
  return parts;
}

/** Tuple order of the keys, as Python compares them. */
export function compareLegacy(a: LegacyVersion, b: LegacyVersion): Order {
  const length = Math.min(a.key.length, b.key.length);
  for (let i = 0; i < length; i++) {
    const order = compareText(a.key[i] ?? '', b.key[i] ?? '');
    if (order !== 0) return order;
  }
  return compareDigits(String(a.key.length), String(b.key.length));
}

import { modifierSource } from './normalize.js';

/** Composer's stability names, most stable last. */
export type Stability = 'dev' | 'alpha' | 'beta' | 'RC' | 'stable';

const modifierAtEnd = new RegExp(`${modifierSource}(?:\\+.*)?$`, 'i');

/**
 * Composer's `VersionParser::parseStability`: a branch (`dev-main`, `1.x-dev`) or a `-dev` suffix
 * is dev; otherwise the stability word at the end (`a`/`alpha`, `b`/`beta`, `RC`) names it, and
 * anything else (`1.0`, `1.0pl1`, `1.0.0-patch1`) is stable. A `#ref` suffix is ignored.
 */
export function parseStability(version: string): Stability {
  const text = version.replace(/#.+$/, '');
  if (text.startsWith('dev-') || text.endsWith('-dev')) return 'dev';
  const match = modifierAtEnd.exec(text.toLowerCase());
  if ((match?.[3] ?? '') !== '') return 'dev';
  switch (match?.[1]) {
    case 'beta':
    case 'b':
      return 'beta';
    case 'alpha':
    case 'a':
      return 'alpha';
    case 'rc':
      return 'RC';
    default:
      return 'stable';
  }
}

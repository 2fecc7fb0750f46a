import { UfError } from '../../../core/errors.js';
import type { DeclaredConstraint, ManifestDeclarations } from './types.js';

/** A header line of a plugin's main PHP file, a theme's style.css or a readme.txt, ` * ` prefix allowed. */
const headerLine = /^[\s*#@/]*(Plugin Name|Theme Name|Requires at least|Tested up to|Requires PHP)\s*:\s*(.+?)\s*(?:\*\/)?\s*$/i;
/** readme.txt starts with `=== Plugin Name ===`. */
const readmeTitle = /^===\s*(.+?)\s*===\s*$/;

/**
 * WordPress plugin and theme headers: `Requires at least: X` is `>=X` on `wordpress` (a failure
 * when the target is older), `Tested up to: Y` a warning when the target's major.minor is newer
 * than Y (WordPress shows such plugins as untested, not broken), `Requires PHP: Z` is `>=Z` on `php`.
 * Read from the first 8 KiB, as WordPress does. Ranges are written in Composer syntax, which reads
 * WordPress versions (`6.4`, `6.4.2`) as they order.
 */
export function readWordpressHeaders(text: string, file: string): ManifestDeclarations {
  const head = text.slice(0, 8192);
  let name: string | undefined;
  const root: DeclaredConstraint[] = [];
  head.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const title = readmeTitle.exec(raw);
    if (title && name === undefined) name = title[1];
    const match = headerLine.exec(raw);
    if (!match) return;
    const key = (match[1] ?? '').toLowerCase();
    const value = (match[2] ?? '').trim();
    if (key === 'plugin name' || key === 'theme name') {
      name = value;
      return;
    }
    if (!/^\d+(\.\d+)*$/.test(value)) {
      throw new UfError('parse_error', `"${match[1]}: ${value}" is not a version: expected a WordPress version such as 6.4`, { file, line });
    }
    const declaredBy = name ?? 'plugin header';
    if (key === 'requires at least') root.push({ family: 'wp-requires-at-least', on: 'wordpress', range: `>=${value}`, syntax: 'Packagist', platform: true, declaredBy, file, line });
    if (key === 'tested up to') root.push({ family: 'wp-tested-up-to', on: 'wordpress', range: value, syntax: 'Packagist', platform: true, declaredBy, file, line });
    if (key === 'requires php') root.push({ family: 'require', on: 'php', range: `>=${value}`, syntax: 'Packagist', platform: true, declaredBy, file, line });
  });
  if (name === undefined && root.length === 0) {
    throw new UfError('parse_error', 'no Plugin Name, Theme Name or "=== Name ===" header: expected a WordPress plugin file, theme style.css or readme.txt', { file });
  }
  return { format: 'wordpress-header', file, ...(name === undefined ? {} : { name }), root, packages: [] };
}

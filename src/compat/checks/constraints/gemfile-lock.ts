import { UfError } from '../../../core/errors.js';
import type { DeclaredConstraint, LockedPackage, ManifestDeclarations } from './types.js';

/** `    name (version)` under `specs:`; a platform suffix (`nokogiri (1.15.4-x86_64-linux)`) stays in the version. */
const specLine = /^ {4}([^\s(]+)(?: \(([^)]*)\))?$/;
/** `      dep (~> 2.3, >= 2.3.1)` under a spec, or `  dep (requirements)!` under DEPENDENCIES. */
const depLine = /^ {2,6}([^\s(!]+)(?: \(([^)]*)\))?!?$/;
/** Section headers are unindented capitals: GEM, GIT, PATH, PLATFORMS, DEPENDENCIES, BUNDLED WITH… */
const header = /^[A-Z][A-Z ]*$/;

function constraint(on: string, range: string | undefined, declaredBy: string, file: string, line: number): DeclaredConstraint | undefined {
  if (range === undefined || range.trim() === '') return undefined; // no requirement: any version
  return { family: 'gem-dependency', on, range: range.trim(), syntax: 'RubyGems', platform: false, declaredBy, file, line };
}

/**
 * Gemfile.lock: the `specs:` of GEM, GIT and PATH sources (a gem at 4 spaces followed by its
 * dependencies at 6, each requirement list comma-separated, all of which must hold), and
 * DEPENDENCIES (the Gemfile's own requirements: the root's constraints). A lockfile with neither
 * declares nothing; text that is not a Gemfile.lock at all (no section header) is a parse error.
 */
export function readGemfileLock(text: string, file: string): ManifestDeclarations {
  const lines = text.split(/\r?\n/);
  if (!lines.some((line) => header.test(line))) {
    throw new UfError('parse_error', 'no section header (GEM, GIT, PATH, DEPENDENCIES): expected a Bundler Gemfile.lock', { file });
  }
  const packages: LockedPackage[] = [];
  const root: DeclaredConstraint[] = [];
  let section = '';
  let inSpecs = false;
  let current: LockedPackage | undefined;
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (header.test(raw)) {
      section = raw.trim();
      inSpecs = false;
      current = undefined;
      return;
    }
    if (raw.trim() === '') return;
    if (['GEM', 'GIT', 'PATH'].includes(section)) {
      if (raw === '  specs:') {
        inSpecs = true;
        return;
      }
      if (!inSpecs) return;
      const spec = specLine.exec(raw);
      if (spec) {
        current = { name: spec[1] ?? '', ...(spec[2] === undefined ? {} : { version: spec[2] }), kind: 'gem', constraints: [] };
        packages.push(current);
        return;
      }
      const dep = raw.startsWith('      ') && !raw.startsWith('       ') ? depLine.exec(raw) : null;
      if (dep && current) {
        const found = constraint(dep[1] ?? '', dep[2], current.name, file, line);
        if (found) current.constraints.push(found);
        return;
      }
      throw new UfError('parse_error', `unexpected line ${JSON.stringify(raw.trim())} in ${section} specs: expected "    name (version)" or "      dependency (requirement)"`, { file, line });
    }
    if (section === 'DEPENDENCIES') {
      const dep = raw.startsWith('  ') && !raw.startsWith('   ') ? depLine.exec(raw) : null;
      if (!dep) throw new UfError('parse_error', `unexpected line ${JSON.stringify(raw.trim())} in DEPENDENCIES: expected "  name (requirement)"`, { file, line });
      const found = constraint(dep[1] ?? '', dep[2], 'Gemfile', file, line);
      if (found) root.push(found);
    }
  });
  return { format: 'Gemfile.lock', file, root, packages };
}

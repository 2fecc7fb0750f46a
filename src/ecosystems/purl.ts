/**
 * Package URLs (https://github.com/package-url/purl-spec), hand-written rather than taken from
 * `packageurl-js`: that library rewrites names while parsing (npm `JSONStream` → `jsonstream`, PyPI
 * `Django_X` → `django-x`, pub `a-b` → `a_b`), which breaks matching against advisories that use the
 * registry spelling, and its per-type validation rejects purls real SBOMs contain (`pkg:cran/x`
 * without a version; `pkg:golang/…@v1.2` even fails with a ReferenceError in 2.0.1). Here parsing is
 * lenient and lossless; normalising is a separate, explicit step (`normalizePackageName`, names.ts).
 */
import { UfError } from '../core/errors.js';

export interface PackageUrl {
  /** Lower-case purl type: `npm`, `maven`, `pypi`, … */
  type: string;
  /** Decoded namespace, segments joined with `/`: `@babel`, `org.apache.logging.log4j`. */
  namespace?: string;
  name: string;
  version?: string;
  qualifiers: Record<string, string>;
  subpath?: string;
}

const typePattern = /^[a-z.+-][a-z0-9.+-]*$/;

/** Whether the text starts with the `pkg:` scheme, as a purl does; `parsePurl` decides whether it is one. */
export const looksLikePurl = (text: string): boolean => /^pkg:/i.test(text);

/** Parses a purl; throws UfError `import_invalid` (record = the purl) when it is not one. */
export function parsePurl(text: string): PackageUrl {
  const fail = (why: string): never => {
    throw new UfError('import_invalid', `invalid purl: ${why}`, { record: text });
  };
  if (!looksLikePurl(text)) fail('does not start with "pkg:"');
  let rest = text.slice(4).replace(/^\/+/, '');

  let subpath: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    const segments = splitSegments(rest.slice(hash + 1), fail).filter((s) => s !== '.' && s !== '..');
    subpath = segments.length > 0 ? segments.join('/') : undefined;
    rest = rest.slice(0, hash);
  }

  const qualifiers: Record<string, string> = {};
  const question = rest.indexOf('?');
  if (question >= 0) {
    for (const pair of rest.slice(question + 1).split('&')) {
      const equals = pair.indexOf('=');
      if (equals <= 0) continue;
      const value = decode(pair.slice(equals + 1), fail);
      if (value !== '') qualifiers[pair.slice(0, equals).toLowerCase()] = value;
    }
    rest = rest.slice(0, question);
  }

  const slash = rest.indexOf('/');
  if (slash < 0) fail('no name after the type');
  const type = rest.slice(0, slash).toLowerCase();
  if (!typePattern.test(type)) fail(`bad type "${type}"`);
  rest = rest.slice(slash + 1).replace(/\/+$/, '');

  // The version separator is the last `@` that does not start a path segment, so an unencoded npm
  // scope (`pkg:npm/@babel/core`) is not mistaken for a version.
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at > rest.lastIndexOf('/') + 1) {
    version = decode(rest.slice(at + 1), fail) || undefined;
    rest = rest.slice(0, at);
  }

  const segments = splitSegments(rest, fail);
  const name = segments.pop();
  if (name === undefined || name === '') fail('no name');
  const purl: PackageUrl = { type, name: name as string, qualifiers };
  if (segments.length > 0) purl.namespace = segments.join('/');
  if (version !== undefined) purl.version = version;
  if (subpath !== undefined) purl.subpath = subpath;
  return purl;
}

/** Builds the purl string, qualifiers sorted by key, as the spec's canonical form asks. */
export function buildPurl(purl: PackageUrl): string {
  let text = `pkg:${purl.type.toLowerCase()}/`;
  if (purl.namespace) text += purl.namespace.split('/').filter(Boolean).map(encode).join('/') + '/';
  text += encode(purl.name);
  if (purl.version) text += `@${encode(purl.version)}`;
  const keys = Object.keys(purl.qualifiers)
    .filter((key) => purl.qualifiers[key] !== '')
    .sort();
  if (keys.length > 0) {
    text += '?' + keys.map((key) => `${key.toLowerCase()}=${encode(purl.qualifiers[key] ?? '')}`).join('&');
  }
  if (purl.subpath) text += '#' + purl.subpath.split('/').filter(Boolean).map(encode).join('/');
  return text;
}

/** The package without its version, qualifiers or subpath: what every version of it shares. */
export function unversionedPurl(purl: PackageUrl): PackageUrl {
  return { type: purl.type, name: purl.name, qualifiers: {}, ...(purl.namespace !== undefined ? { namespace: purl.namespace } : {}) };
}

/**
 * A canonical purl string (see `canonicalPurl`) without its `@version`: the identity of an upgrade.
 * Works on the text, so a purl that would not parse is returned with only its last `@…` cut.
 */
export function stripPurlVersion(purl: string): string {
  return purl.replace(/@[^@/]*$/, '');
}

/** The join key: same package and version, whatever qualifiers, subpath or encoding the source used. */
export function canonicalPurl(purl: PackageUrl | string): string {
  const parsed = typeof purl === 'string' ? parsePurl(purl) : purl;
  const { qualifiers: _q, subpath: _s, ...identity } = parsed;
  return buildPurl({ ...identity, qualifiers: {} });
}

const osvEcosystems: Readonly<Record<string, string>> = {
  npm: 'npm',
  maven: 'Maven',
  pypi: 'PyPI',
  nuget: 'NuGet',
  gem: 'RubyGems',
  golang: 'Go',
  cargo: 'crates.io',
  composer: 'Packagist',
  deb: 'Debian',
  hex: 'Hex',
  pub: 'Pub',
  cran: 'CRAN',
  hackage: 'Hackage',
  swift: 'SwiftURL',
};

/** OSV ecosystem name for a purl type, or the type itself when OSV has no ecosystem for it. */
export function ecosystemOfPurlType(type: string): string {
  const lower = type.toLowerCase();
  return osvEcosystems[lower] ?? lower;
}

/** Types whose namespace is a distribution or an organisation, not part of the package's name. */
const namespaceNotInName: ReadonlySet<string> = new Set([
  'pypi', 'nuget', 'gem', 'cargo', 'hex', 'pub', 'cran', 'hackage', 'deb', 'rpm', 'apk', 'alpm',
]);

/** The name as the ecosystem spells it: `group:artifact`, `@scope/name`, `golang.org/x/net`. */
export function componentName(purl: PackageUrl): string {
  if (!purl.namespace || namespaceNotInName.has(purl.type)) return purl.name;
  if (purl.type === 'maven') return `${purl.namespace}:${purl.name}`;
  return `${purl.namespace}/${purl.name}`;
}

function splitSegments(text: string, fail: (why: string) => never): string[] {
  return text
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => decode(segment, fail));
}

function decode(text: string, fail: (why: string) => never): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return fail(`bad percent-encoding in "${text}"`);
  }
}

/** Percent-encodes like the spec's examples: `@` as %40, `+` as %2B, but `:` left as is. */
function encode(text: string): string {
  try {
    return encodeURIComponent(text).replace(/%3A/gi, ':');
  } catch {
    // encodeURIComponent throws URIError on a lone surrogate; no real package name has one.
    throw new UfError('import_invalid', 'invalid purl: text is not well-formed Unicode', { record: text });
  }
}

import { ecosystemOfPurlType } from '../../ecosystems/purl.js';
import { versionSchemeFor } from '../../ecosystems/index.js';
import type { VexVersion } from './types.js';

type Compare = (a: string, b: string) => number;

/**
 * Whether `version` is one of a statement's product versions: an exact `version`, or inside a
 * `vers:` range (https://github.com/package-url/purl-spec VERS). `vers:<type>` compares with the
 * type's version scheme when uf has one; `vers:generic` and unknown types compare dotted numbers.
 */
export function versionCovered(version: string, entry: VexVersion): boolean {
  if (entry.version !== undefined) return entry.version === version;
  if (entry.range === undefined) return false;
  const match = /^vers:([^/]+)\/(.*)$/i.exec(entry.range.trim());
  if (!match) return false;
  const compare = comparatorFor(match[1]!);
  const constraints = match[2]!.split('|').map((c) => parseConstraint(c.trim())).filter((c) => c !== undefined);
  if (constraints.some((c) => c.op === '*')) return true;
  if (constraints.some((c) => c.op === '=' && compare(version, c.version) === 0)) return true;
  if (constraints.some((c) => c.op === '!=' && compare(version, c.version) === 0)) return false;
  // VERS: the remaining constraints, sorted by version, pair up as intervals (a lower bound with the
  // next upper bound); a leading upper or a trailing lower bound is open-ended.
  const bounds = constraints.filter((c) => c.op !== '=' && c.op !== '!=').sort((a, b) => compare(a.version, b.version));
  const holds = (c: Constraint) => {
    const cmp = compare(version, c.version);
    return c.op === '>' ? cmp > 0 : c.op === '>=' ? cmp >= 0 : c.op === '<' ? cmp < 0 : cmp <= 0;
  };
  for (let i = 0; i < bounds.length; i++) {
    const c = bounds[i]!;
    const lower = c.op === '>' || c.op === '>=';
    if (!lower) {
      if (i === 0 && holds(c)) return true;
      continue;
    }
    const next = bounds[i + 1];
    if (next === undefined || next.op === '>' || next.op === '>=') {
      if (holds(c) && next === undefined) return true;
      continue;
    }
    if (holds(c) && holds(next)) return true;
  }
  return false;
}

interface Constraint {
  op: '=' | '!=' | '<' | '<=' | '>' | '>=' | '*';
  version: string;
}

function parseConstraint(text: string): Constraint | undefined {
  if (text === '*') return { op: '*', version: '' };
  const m = /^(!=|<=|>=|<|>|=)?(.+)$/.exec(text);
  if (!m) return undefined;
  return { op: (m[1] ?? '=') as Constraint['op'], version: decodeURIComponent(m[2]!) };
}

function comparatorFor(type: string): Compare {
  const scheme = type.toLowerCase() === 'generic' ? undefined : versionSchemeFor(ecosystemOfPurlType(type));
  if (scheme) {
    return (a, b) => {
      try {
        return scheme.compare(a, b);
      } catch {
        return genericCompare(a, b);
      }
    };
  }
  return genericCompare;
}

/** Dotted and dashed parts, numbers compared as numbers, the rest as text. */
function genericCompare(a: string, b: string): number {
  const pa = a.split(/[.\-+_]/);
  const pb = b.split(/[.\-+_]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = /^\d+$/.test(x) ? Number(x) : undefined;
    const ny = /^\d+$/.test(y) ? Number(y) : undefined;
    const cmp = nx !== undefined && ny !== undefined ? nx - ny : x.localeCompare(y);
    if (cmp !== 0) return Math.sign(cmp);
  }
  return 0;
}

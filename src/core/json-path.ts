/**
 * A small JSONPath subset for reading one value out of a JSON document: `$`, then any number of
 * `.name`, `['name']` / `["name"]` and `[index]` steps, e.g. `$.kpi.checkout["conversion-rate"]`
 * or `$.variants[0].backlog`. No wildcards, filters or recursive descent: a metric names exactly
 * one value, and a path that could match several would hide which one was judged.
 */
export type JsonPathStep = { kind: 'key'; key: string } | { kind: 'index'; index: number };

export type ParsedJsonPath = { ok: true; steps: JsonPathStep[] } | { ok: false; reason: string };

const namePattern = /[A-Za-z_$][\w$-]*/y;
const indexPattern = /\[(\d{1,9})\]/y;
const quotedPattern = /\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/y;

/** Parses `path`; a mistake is reported with the offset and what was expected there. */
export function parseJsonPath(path: string): ParsedJsonPath {
  if (!path.startsWith('$')) return { ok: false, reason: 'a JSON path starts with $' };
  const steps: JsonPathStep[] = [];
  let at = 1;
  while (at < path.length) {
    if (path[at] === '.') {
      namePattern.lastIndex = at + 1;
      const name = namePattern.exec(path);
      if (!name) return { ok: false, reason: `expected a key name after "." at offset ${at + 1} (use ['key'] for other characters)` };
      steps.push({ kind: 'key', key: name[0] });
      at = namePattern.lastIndex;
      continue;
    }
    indexPattern.lastIndex = at;
    const index = indexPattern.exec(path);
    if (index) {
      steps.push({ kind: 'index', index: Number(index[1]) });
      at = indexPattern.lastIndex;
      continue;
    }
    quotedPattern.lastIndex = at;
    const quoted = quotedPattern.exec(path);
    if (quoted) {
      steps.push({ kind: 'key', key: (quoted[1] ?? quoted[2] ?? '').replace(/\\(.)/g, '$1') });
      at = quotedPattern.lastIndex;
      continue;
    }
    return { ok: false, reason: `expected .key, ['key'] or [index] at offset ${at} of ${path}` };
  }
  return { ok: true, steps };
}

export type JsonPathLookup = { found: true; value: unknown } | { found: false; missing: string };

/** Follows `steps` into `document`; when a step finds nothing, names the path up to and including it. */
export function lookupJsonPath(document: unknown, steps: readonly JsonPathStep[]): JsonPathLookup {
  let current: unknown = document;
  let walked = '$';
  for (const step of steps) {
    walked += step.kind === 'index' ? `[${step.index}]` : /^[A-Za-z_$][\w$-]*$/.test(step.key) ? `.${step.key}` : `[${JSON.stringify(step.key)}]`;
    if (step.kind === 'index') {
      if (!Array.isArray(current) || step.index >= current.length) return { found: false, missing: walked };
      current = current[step.index] as unknown;
      continue;
    }
    if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, step.key)) return { found: false, missing: walked };
    current = (current as Record<string, unknown>)[step.key];
  }
  return { found: true, value: current };
}

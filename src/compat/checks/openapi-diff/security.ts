import type { ChangeSink } from './change.js';
import { isObject } from './loader.js';

type Requirement = Map<string, string[]>;

/** A security requirement list: alternatives, each a set of schemes with their scopes; keyed by the sorted scheme names. */
function requirementsOf(value: unknown): Map<string, Requirement> {
  const result = new Map<string, Requirement>();
  if (!Array.isArray(value)) return result;
  for (const item of value) {
    if (!isObject(item)) continue;
    const requirement: Requirement = new Map(Object.entries(item).map(([scheme, scopes]) => [scheme, Array.isArray(scopes) ? scopes.map(String) : []]));
    result.set([...requirement.keys()].sort().join(' + ') || '(none)', requirement);
  }
  return result;
}

/**
 * Security requirements added or removed (oasdiff reports both as info: the list holds
 * alternatives), and scopes added to a kept requirement (breaking: existing tokens lack them) or
 * removed. `global` compares the document-wide `security`, else an operation's own.
 */
export function diffSecurity(sink: ChangeSink, before: unknown, after: unknown, where: { operation: string; path: string; global: boolean }): void {
  const old = requirementsOf(before);
  const now = requirementsOf(after);
  const { operation, path, global } = where;
  const location = 'security';
  for (const [key, requirement] of old) {
    const kept = now.get(key);
    if (!kept) {
      sink.add(global ? 'api-global-security-removed' : 'api-security-removed', operation, path, location, `removed the security requirement '${key}'`);
      continue;
    }
    for (const [scheme, scopes] of kept) {
      const oldScopes = requirement.get(scheme) ?? [];
      for (const scope of scopes) {
        if (!oldScopes.includes(scope)) sink.add(global ? 'api-global-security-scope-added' : 'api-security-scope-added', operation, path, location, `added the scope '${scope}' to the security scheme '${scheme}'`);
      }
      for (const scope of oldScopes) {
        if (!scopes.includes(scope)) sink.add(global ? 'api-global-security-scope-removed' : 'api-security-scope-removed', operation, path, location, `removed the scope '${scope}' from the security scheme '${scheme}'`);
      }
    }
  }
  for (const key of now.keys()) {
    if (!old.has(key)) sink.add(global ? 'api-global-security-added' : 'api-security-added', operation, path, location, `added the security requirement '${key}'`);
  }
}

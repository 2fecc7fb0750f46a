import type { EntityRef } from '../../core/service-map.js';

/**
 * Backstage's own name rules (catalog-model `KubernetesValidatorFunctions`), so a ref we accept is
 * one Backstage accepts too.
 */
export const namePattern = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
export const namespacePattern = /^[a-z0-9]+(?:-+[a-z0-9]+)*$/;
export const kindPattern = /^[a-zA-Z][a-z0-9A-Z]*$/;
export const maxNameLength = 63;

export interface RefDefaults {
  /** Kind to assume when the ref has none, e.g. `group` for `spec.owner`. */
  kind: string;
  /** Namespace to assume when the ref has none: the referring entity's namespace. */
  namespace: string;
}

export interface ParsedRef {
  ref: EntityRef;
  kind: string;
  namespace: string;
  name: string;
}

export type RefParseResult = { ok: true; value: ParsedRef } | { ok: false; reason: string };

/** Builds the full, lower-cased `kind:namespace/name` form that every comparison uses. */
export function entityRef(kind: string, namespace: string, name: string): EntityRef {
  return `${kind}:${namespace}/${name}`.toLowerCase();
}

/**
 * Parses `[kind:][namespace/]name` the way Backstage's `parseEntityRef` does: a `/` before the first
 * `:` means there is no kind (the colon then belongs to the name, which the name rule refuses).
 */
export function parseEntityRef(text: string, defaults: RefDefaults): RefParseResult {
  const colon = text.indexOf(':');
  const slash = text.indexOf('/');
  const kindEnd = slash !== -1 && slash < colon ? -1 : colon;
  const kind = kindEnd === -1 ? defaults.kind : text.slice(0, kindEnd);
  const namespace = slash === -1 ? defaults.namespace : text.slice(kindEnd + 1, slash);
  const name = text.slice(Math.max(kindEnd + 1, slash + 1));
  if (!kindPattern.test(kind)) return fail(text, `kind '${kind}' is not a Backstage kind name`);
  if (namespace.length > maxNameLength || !namespacePattern.test(namespace.toLowerCase())) {
    return fail(text, `namespace '${namespace}' is not a valid namespace`);
  }
  if (name.length > maxNameLength || !namePattern.test(name)) return fail(text, `name '${name}' is not a valid entity name`);
  const parsed = { kind: kind.toLowerCase(), namespace: namespace.toLowerCase(), name: name.toLowerCase() };
  return { ok: true, value: { ref: entityRef(parsed.kind, parsed.namespace, parsed.name), ...parsed } };
}

function fail(text: string, why: string): RefParseResult {
  return { ok: false, reason: `'${text}' is not an entity ref of the form [kind:][namespace/]name: ${why}` };
}

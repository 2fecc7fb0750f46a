import type { z } from 'zod';

/**
 * The error of a union discriminated by `kind`: a missing kind or an unknown one is named with the
 * known kinds listed (`unknown router kind "envoy": expected builtin, haproxy, nginx`).
 */
export function kindUnionError(noun: string, kinds: readonly string[]): z.core.$ZodErrorMap {
  const known = kinds.join(', ');
  return (issue) => {
    if (issue.code !== 'invalid_union') return undefined;
    const kind = (issue.input as { kind?: unknown } | undefined)?.kind;
    return kind === undefined ? `a ${noun} needs a kind: ${known}` : `unknown ${noun} kind ${JSON.stringify(kind)}: expected ${known}`;
  };
}

/** The first issue of a failed parse, with an unknown key named at its own path, as factory.yaml's loader names it. */
export function firstIssue(error: z.ZodError): { path: PropertyKey[]; message: string } {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') return { path: [...issue.path, issue.keys[0]!], message: `unknown key '${issue.keys[0]}'` };
  return { path: issue.path, message: issue.message };
}

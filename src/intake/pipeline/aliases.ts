import type { Advisory } from '../osv/types.js';

/**
 * Groups advisories that describe the same vulnerability (a GHSA record and a CVE or PYSEC record
 * naming each other in `aliases`). Each group is named by one canonical id: the first non-CVE id
 * in sort order (GHSA, GO, PYSEC, RUSTSEC carry the package data), else the first id.
 */
export function aliasGroups(advisories: Iterable<Advisory>): Map<string, { canonical: string; ids: string[]; aliases: string[] }> {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    let node = x;
    while (parent.get(node) !== root) {
      const next = parent.get(node)!;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  const add = (x: string) => {
    if (!parent.has(x)) parent.set(x, x);
  };
  const ids = new Set<string>();
  for (const advisory of advisories) {
    ids.add(advisory.id);
    add(advisory.id);
    for (const alias of advisory.aliases) {
      add(alias);
      const a = find(advisory.id);
      const b = find(alias);
      if (a !== b) parent.set(b, a);
    }
  }
  const members = new Map<string, string[]>();
  for (const name of parent.keys()) members.set(find(name), [...(members.get(find(name)) ?? []), name]);
  const byId = new Map<string, { canonical: string; ids: string[]; aliases: string[] }>();
  for (const names of members.values()) {
    const recordIds = names.filter((n) => ids.has(n)).sort();
    if (recordIds.length === 0) continue;
    const canonical = recordIds.find((id) => !id.startsWith('CVE-')) ?? recordIds[0]!;
    const group = { canonical, ids: recordIds, aliases: names.filter((n) => n !== canonical).sort() };
    for (const id of recordIds) byId.set(id, group);
  }
  return byId;
}

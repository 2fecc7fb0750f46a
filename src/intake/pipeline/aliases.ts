import type { Advisory } from '../osv/types.js';

export interface AliasGroup {
  /** The id findings and upgrades carry for the whole group. */
  canonical: string;
  /** Ids of the records in the group, sorted. */
  ids: string[];
  /** Every name of the group but the canonical one (record ids and aliases alike), sorted. */
  aliases: string[];
}

/**
 * Groups advisories that describe the same vulnerability (a GHSA record and a CVE or PYSEC record
 * naming each other in `aliases`). Each group is named by one canonical id: the first non-CVE id
 * in sort order (GHSA, GO, PYSEC, RUSTSEC carry the package data), else the first id.
 *
 * Union-find with union by size and path halving, members collected in one pass: near-linear in
 * the number of names, so a hostile feed of thousands of records naming one alias costs what the
 * same number of unrelated records does. Every record of a group shares one group object.
 */
export function aliasGroups(advisories: Iterable<Advisory>): Map<string, AliasGroup> {
  const index = new Map<string, number>();
  const names: string[] = [];
  const parent: number[] = [];
  const size: number[] = [];
  const node = (name: string): number => {
    let n = index.get(name);
    if (n === undefined) {
      n = names.length;
      index.set(name, n);
      names.push(name);
      parent.push(n);
      size.push(1);
    }
    return n;
  };
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const union = (a: number, b: number): void => {
    let ra = find(a);
    let rb = find(b);
    if (ra === rb) return;
    if (size[ra]! < size[rb]!) [ra, rb] = [rb, ra];
    parent[rb] = ra;
    size[ra]! += size[rb]!;
  };
  const recordIds = new Set<string>();
  for (const advisory of advisories) {
    recordIds.add(advisory.id);
    const self = node(advisory.id);
    for (const alias of advisory.aliases) union(self, node(alias));
  }
  const members = new Map<number, string[]>();
  for (let n = 0; n < names.length; n++) {
    const root = find(n);
    const list = members.get(root);
    if (list) list.push(names[n]!);
    else members.set(root, [names[n]!]);
  }
  const byId = new Map<string, AliasGroup>();
  for (const group of members.values()) {
    const ids = group.filter((n) => recordIds.has(n)).sort();
    if (ids.length === 0) continue;
    const canonical = ids.find((id) => !id.startsWith('CVE-')) ?? ids[0]!;
    const entry: AliasGroup = { canonical, ids, aliases: group.filter((n) => n !== canonical).sort() };
    for (const id of ids) byId.set(id, entry);
  }
  return byId;
}

import type { InventoryComponent, ParsedInventory } from '../../../core/inventory.js';
import { npmComponent } from '../component.js';
import type { TreeEntry } from './schema.js';
import { resolveAlias, scopeOfFlags, unmatchableVersion } from './versions.js';

interface Collected {
  components: InventoryComponent[];
  skipped: ParsedInventory['skipped'];
}

/**
 * Reads the lockfile v1 `dependencies` tree. v1 does not record what the root package declares,
 * so "direct" is inferred: a top-level entry that no entry's `requires` resolves to (Node looks in
 * the requirer's own node_modules, then each enclosing one, then the top level) can only be there
 * because the root declared it. Nested entries never are direct: the root resolves its own
 * dependencies at the top level. A direct dependency that another package also resolves to is
 * reported as transitive: the best the format allows, erring towards fewer direct claims.
 */
export function readDependencyTree(tree: Readonly<Record<string, TreeEntry>>): Collected {
  const required = new Set<string>();
  collectRequiredFromTop(tree, [], required);
  const collected: Collected = { components: [], skipped: [] };
  walk(tree, '', (key, depth) => depth === 0 && !required.has(key), collected);
  return collected;
}

function walk(
  tree: Readonly<Record<string, TreeEntry>>,
  prefix: string,
  isDirect: (key: string, depth: number) => boolean,
  out: Collected,
  depth = 0,
): void {
  for (const [key, entry] of Object.entries(tree)) {
    const path = `${prefix}node_modules/${key}`;
    const { name, version } = resolveAlias(key, entry.version);
    const reason = unmatchableVersion(version);
    const outcome =
      reason === undefined && version !== undefined
        ? npmComponent(name, version, { direct: isDirect(key, depth), scope: scopeOfFlags(entry) })
        : { reason: reason ?? 'no version' };
    if ('component' in outcome) out.components.push(outcome.component);
    else out.skipped.push({ record: path, reason: outcome.reason });
    if (entry.dependencies) walk(entry.dependencies, `${path}/`, isDirect, out, depth + 1);
  }
}

/** Adds the names that some entry requires and finds only at the top level. */
function collectRequiredFromTop(
  tree: Readonly<Record<string, TreeEntry>>,
  enclosing: readonly Readonly<Record<string, TreeEntry>>[],
  into: Set<string>,
): void {
  for (const entry of Object.values(tree)) {
    const own = entry.dependencies ?? {};
    const lookups = [own, ...enclosing];
    for (const name of Object.keys(entry.requires ?? {})) {
      if (!lookups.some((folder) => Object.hasOwn(folder, name))) into.add(name);
    }
    if (entry.dependencies) collectRequiredFromTop(entry.dependencies, lookups, into);
  }
}

import type { InventoryComponent, ParsedInventory } from '../../../core/inventory.js';
import { npmComponent } from '../component.js';
import type { PackageEntry } from './schema.js';
import { scopeOfFlags, unmatchableVersion } from './versions.js';

const nodeModules = 'node_modules/';
const localPackage = 'local package (workspace or file: dependency), not from a registry';

interface Collected {
  components: InventoryComponent[];
  skipped: ParsedInventory['skipped'];
}

/**
 * Reads the lockfile v2/v3 `packages` map. Paths outside any node_modules folder are the project's
 * own packages (the root `""`, workspaces, `file:` folders): first-party code, not registry
 * packages, so they are skipped, as are links to them. An installed package is direct when the
 * local package whose node_modules holds it declares it; the root node_modules also holds the
 * hoisted dependencies of every workspace, so there any local package's declaration counts.
 */
export function readPackages(packages: Readonly<Record<string, PackageEntry>>): Collected {
  const declaredBy = new Map<string, Set<string>>();
  for (const [path, entry] of Object.entries(packages)) {
    if (!path.includes(nodeModules)) declaredBy.set(path, declaredNames(entry));
  }
  const declaredAnywhere = new Set([...declaredBy.values()].flatMap((names) => [...names]));

  const collected: Collected = { components: [], skipped: [] };
  for (const [path, entry] of Object.entries(packages)) {
    if (path === '') continue;
    const marker = path.lastIndexOf(nodeModules);
    if (marker < 0) {
      collected.skipped.push({ record: path, reason: localPackage });
      continue;
    }
    if (entry.link) {
      collected.skipped.push({ record: path, reason: 'link to a local package, not from a registry' });
      continue;
    }
    const reason = unmatchableVersion(entry.version);
    if (reason !== undefined || entry.version === undefined) {
      collected.skipped.push({ record: path, reason: reason ?? 'no version' });
      continue;
    }
    const installedName = path.slice(marker + nodeModules.length);
    const parent = path.slice(0, marker).replace(/\/$/, '');
    const direct =
      parent === '' ? declaredAnywhere.has(installedName) : (declaredBy.get(parent)?.has(installedName) ?? false);
    const outcome = npmComponent(entry.name ?? installedName, entry.version, { direct, scope: scopeOfFlags(entry) });
    if ('component' in outcome) collected.components.push(outcome.component);
    else collected.skipped.push({ record: path, reason: outcome.reason });
  }
  return collected;
}

function declaredNames(entry: PackageEntry): Set<string> {
  return new Set(
    [entry.dependencies, entry.devDependencies, entry.optionalDependencies, entry.peerDependencies].flatMap((map) =>
      Object.keys(map ?? {}),
    ),
  );
}

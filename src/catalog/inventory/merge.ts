import type { DependencyScope, InventoryComponent } from '../../core/inventory.js';

const scopeRank: Readonly<Record<DependencyScope, number>> = { runtime: 0, optional: 1, dev: 2 };

/**
 * One component per purl, in first-seen order. The same package often appears several times (npm
 * installs it at several paths; SBOMs list each instance): it is direct if any instance is direct,
 * and takes the scope that reaches production most surely (runtime, then optional, then dev).
 */
export function mergeComponents(components: readonly InventoryComponent[]): InventoryComponent[] {
  const byPurl = new Map<string, InventoryComponent>();
  for (const component of components) {
    const seen = byPurl.get(component.purl);
    if (!seen) {
      byPurl.set(component.purl, { ...component });
      continue;
    }
    seen.direct ||= component.direct;
    if (scopeRank[component.scope] < scopeRank[seen.scope]) seen.scope = component.scope;
  }
  return [...byPurl.values()];
}

import type { DependencyScope } from '../../../core/inventory.js';
import type { UsageFacts } from '../component.js';
import type { SpdxDocument, SpdxRelationship } from './schema.js';

/** `from` needs `to`, in the way `scope` says. */
export interface DependencyEdge {
  from: string;
  to: string;
  scope: DependencyScope;
}

/** Relationship types written `needer TYPE needed`. */
const needsRelated: Readonly<Record<string, DependencyScope>> = {
  DEPENDS_ON: 'runtime',
  CONTAINS: 'runtime',
  DYNAMIC_LINK: 'runtime',
  STATIC_LINK: 'runtime',
  HAS_PREREQUISITE: 'runtime',
};

/** Relationship types written `needed TYPE needer`. Provided dependencies are still loaded at run time. */
const neededByRelated: Readonly<Record<string, DependencyScope>> = {
  DEPENDENCY_OF: 'runtime',
  RUNTIME_DEPENDENCY_OF: 'runtime',
  PROVIDED_DEPENDENCY_OF: 'runtime',
  CONTAINED_BY: 'runtime',
  PREREQUISITE_FOR: 'runtime',
  OPTIONAL_DEPENDENCY_OF: 'optional',
  OPTIONAL_COMPONENT_OF: 'optional',
  DEV_DEPENDENCY_OF: 'dev',
  TEST_DEPENDENCY_OF: 'dev',
  BUILD_DEPENDENCY_OF: 'dev',
  DEV_TOOL_OF: 'dev',
  BUILD_TOOL_OF: 'dev',
  TEST_TOOL_OF: 'dev',
};

export function dependencyEdges(relationships: readonly SpdxRelationship[]): DependencyEdge[] {
  const edges: DependencyEdge[] = [];
  for (const { spdxElementId, relationshipType, relatedSpdxElement } of relationships) {
    const forward = needsRelated[relationshipType];
    if (forward) edges.push({ from: spdxElementId, to: relatedSpdxElement, scope: forward });
    const backward = neededByRelated[relationshipType];
    if (backward) edges.push({ from: relatedSpdxElement, to: spdxElementId, scope: backward });
  }
  return edges;
}

/** Elements the document is about: `documentDescribes`, and DESCRIBES / DESCRIBED_BY with the document. */
export function describedElements(doc: SpdxDocument): string[] {
  const documentId = doc.SPDXID ?? 'SPDXRef-DOCUMENT';
  const described = [...(doc.documentDescribes ?? [])];
  for (const { spdxElementId, relationshipType, relatedSpdxElement } of doc.relationships ?? []) {
    if (relationshipType === 'DESCRIBES' && spdxElementId === documentId) described.push(relatedSpdxElement);
    if (relationshipType === 'DESCRIBED_BY' && relatedSpdxElement === documentId) described.push(spdxElementId);
  }
  return [...new Set(described)];
}

const scopeOrder: readonly DependencyScope[] = ['runtime', 'optional', 'dev'];

/**
 * Direct = needed by a described element (or described itself). Scope = the surest way the package
 * is reached from the described elements: through runtime edges only, else also optional ones, else
 * any (what a test dependency pulls in is itself only needed for tests); a package no described
 * element reaches takes the surest of its own incoming edges.
 * With no dependency relationships at all the document says nothing about either, so, as for a
 * CycloneDX BOM without a graph, every package counts as direct and runtime. When the described
 * elements need nothing, the packages nothing needs are the roots that the subject brought.
 */
export function usageRule(edges: readonly DependencyEdge[], roots: readonly string[]): (id: string) => UsageFacts {
  if (edges.length === 0) return () => ({ direct: true, scope: 'runtime' });
  const rootSet = new Set(roots);
  const targets = new Set(edges.map((edge) => edge.to));
  const neededByRoots = new Set(edges.filter((edge) => rootSet.has(edge.from)).map((edge) => edge.to));
  const isDirect =
    neededByRoots.size > 0
      ? (id: string) => neededByRoots.has(id) || rootSet.has(id)
      : (id: string) => !targets.has(id);
  const reached = scopeOrder.map((_, level) => reach(edges, roots, new Set(scopeOrder.slice(0, level + 1))));
  const incoming = new Map<string, DependencyScope>();
  for (const edge of edges) {
    const seen = incoming.get(edge.to);
    if (!seen || scopeOrder.indexOf(edge.scope) < scopeOrder.indexOf(seen)) incoming.set(edge.to, edge.scope);
  }
  return (id) => {
    const level = reached.findIndex((set) => set.has(id));
    const scope = level >= 0 ? (scopeOrder[level] ?? 'runtime') : (incoming.get(id) ?? 'runtime');
    return { direct: isDirect(id), scope };
  };
}

function reach(
  edges: readonly DependencyEdge[],
  roots: readonly string[],
  allowed: ReadonlySet<DependencyScope>,
): Set<string> {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    if (!allowed.has(edge.scope)) continue;
    const list = next.get(edge.from) ?? [];
    list.push(edge.to);
    next.set(edge.from, list);
  }
  const seen = new Set<string>(roots);
  const queue = [...roots];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const to of next.get(id) ?? []) {
      if (seen.has(to)) continue;
      seen.add(to);
      queue.push(to);
    }
  }
  return seen;
}

import { UfError } from '../../core/errors.js';
import type { CatalogEntity, EntityRef } from '../../core/service-map.js';
import { parseEntityRef } from './refs.js';
import { dependencyLinks, forwardRelations, inverseRelation } from './relations.js';
import type { DanglingRef, DependencyHit, DependencyLink, ForwardRelation, Relation, ServiceGraph } from './types.js';

interface Step {
  ref: EntityRef;
  link: DependencyLink;
}

/**
 * Indexes catalog entities for dependency questions. Refs that no entity defines stay in the graph
 * as dangling ends (see `danglingRefs`): a catalog is rarely complete, and that is not an error.
 * Two entities with the same ref are: the map would be ambiguous.
 */
export function buildServiceGraph(entities: readonly CatalogEntity[]): ServiceGraph {
  const byRef = new Map<EntityRef, CatalogEntity>();
  for (const entity of entities) {
    const existing = byRef.get(entity.ref);
    if (existing) {
      const message = `duplicate entity ${entity.ref}: also defined in ${existing.source.file}, document ${existing.source.document}`;
      throw new UfError('import_invalid', message, { file: entity.source.file, record: entity.ref });
    }
    byRef.set(entity.ref, entity);
  }

  const relationsBySource = new Map<EntityRef, Relation[]>();
  const dangling = new Map<EntityRef, ForwardRelation[]>();
  const seenRelations = new Set<string>();
  const addRelation = (relation: Relation): void => {
    const key = `${relation.type} ${relation.source} ${relation.target}`;
    if (seenRelations.has(key)) return;
    seenRelations.add(key);
    append(relationsBySource, relation.source, relation);
  };
  for (const entity of byRef.values()) {
    for (const relation of forwardRelations(entity)) {
      addRelation(relation);
      addRelation(inverseRelation(relation));
      if (!byRef.has(relation.target)) append(dangling, relation.target, relation);
    }
  }

  const needs = new Map<EntityRef, Step[]>();
  const neededBy = new Map<EntityRef, Step[]>();
  for (const link of dependencyLinks([...byRef.values()])) {
    append(needs, link.from, { ref: link.to, link });
    append(neededBy, link.to, { ref: link.from, link });
  }
  for (const steps of [...needs.values(), ...neededBy.values()]) steps.sort(compareSteps);

  const reach = (ref: string, adjacency: Map<EntityRef, Step[]>, maxDepth: number): DependencyHit[] =>
    breadthFirst(toQueryRef(ref), (from) => adjacency.get(from) ?? [], maxDepth, (found) => byRef.get(found));

  return {
    entity: (ref) => byRef.get(toQueryRef(ref)),
    entities: () => [...byRef.values()],
    relations: (ref) => [...(relationsBySource.get(toQueryRef(ref)) ?? [])],
    directDependents: (ref) => reach(ref, neededBy, 1),
    transitiveDependents: (ref) => reach(ref, neededBy, Infinity),
    dependencies: (ref) => reach(ref, needs, 1),
    transitiveDependencies: (ref) => reach(ref, needs, Infinity),
    danglingRefs: (): DanglingRef[] =>
      [...dangling.entries()].sort(([a], [b]) => compare(a, b)).map(([ref, referencedBy]) => ({ ref, referencedBy: [...referencedBy] })),
  };
}

/**
 * Shortest chains first; each entity is reached once, so cycles end the walk instead of looping.
 * Frontiers and neighbours are visited in ref order, so the chain reported for a tie does not
 * depend on the order entities were loaded in.
 */
function breadthFirst(
  origin: EntityRef,
  stepsFrom: (ref: EntityRef) => readonly Step[],
  maxDepth: number,
  entityOf: (ref: EntityRef) => CatalogEntity | undefined,
): DependencyHit[] {
  const seen = new Set<EntityRef>([origin]);
  const hits: DependencyHit[] = [];
  let frontier: { ref: EntityRef; path: EntityRef[]; links: DependencyLink[] }[] = [{ ref: origin, path: [origin], links: [] }];
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth += 1) {
    const next: DependencyHit[] = [];
    for (const current of frontier) {
      for (const step of stepsFrom(current.ref)) {
        if (seen.has(step.ref)) continue;
        seen.add(step.ref);
        next.push({
          ref: step.ref,
          entity: entityOf(step.ref),
          depth,
          path: [...current.path, step.ref],
          links: [...current.links, step.link],
        });
      }
    }
    next.sort((a, b) => compare(a.ref, b.ref));
    hits.push(...next);
    frontier = next;
  }
  return hits;
}

/** Query refs may be short: `payments` means `component:default/payments`, as on the command line. */
function toQueryRef(ref: string): EntityRef {
  const parsed = parseEntityRef(ref, { kind: 'component', namespace: 'default' });
  if (!parsed.ok) throw new UfError('usage', parsed.reason, { record: ref });
  return parsed.value.ref;
}

const relationOrder: Record<DependencyLink['relation'], number> = { dependsOn: 0, consumesApi: 1 };

/** By neighbour, then a direct `dependsOn` before an API link, then by API. */
function compareSteps(a: Step, b: Step): number {
  return compare(a.ref, b.ref) || relationOrder[a.link.relation] - relationOrder[b.link.relation] || compare(a.link.api ?? '', b.link.api ?? '');
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CatalogEntity } from '../../core/service-map.js';
import { buildServiceGraph } from './graph.js';
import type { DependencyLink } from './types.js';

const size = 7;
const componentRef = (index: number) => `component:default/s${index}`;
const apiRef = (index: number) => `api:default/s${index}-api`;

/** Component `i` may depend on and consume the API of any component `j`, itself included; self links are ignored. */
const catalogs = fc
  .record({
    dependsOn: fc.array(fc.tuple(fc.nat(size - 1), fc.nat(size - 1)), { maxLength: 14 }),
    consumes: fc.array(fc.tuple(fc.nat(size - 1), fc.nat(size - 1)), { maxLength: 6 }),
  })
  .map(({ dependsOn, consumes }) =>
    Array.from({ length: size }, (_, index): CatalogEntity => ({
      ref: componentRef(index),
      kind: 'Component',
      namespace: 'default',
      name: `s${index}`,
      dependsOn: [...new Set(dependsOn.filter(([from]) => from === index).map(([, to]) => componentRef(to)))],
      providesApis: [apiRef(index)],
      consumesApis: [...new Set(consumes.filter(([from]) => from === index).map(([, to]) => apiRef(to)))],
      factory: { criticalPaths: [] },
      annotations: {},
      source: { file: 'generated.yaml', document: index + 1 },
    })),
  );

/** Hop distances between components by plain Floyd–Warshall, the slow way the graph must agree with. */
function distances(entities: readonly CatalogEntity[]): number[][] {
  const distance = entities.map((_, i) => entities.map((_, j) => (i === j ? 0 : Infinity)));
  entities.forEach((entity, i) => {
    const needed = [...entity.dependsOn, ...entity.consumesApis.map((api) => api.replace('api:', 'component:').replace(/-api$/, ''))];
    for (const ref of needed) {
      const j = Number(ref.slice(ref.lastIndexOf('/s') + 2));
      if (i !== j) distance[i]![j] = 1;
    }
  });
  for (let k = 0; k < size; k += 1)
    for (let i = 0; i < size; i += 1)
      for (let j = 0; j < size; j += 1) distance[i]![j] = Math.min(distance[i]![j]!, distance[i]![k]! + distance[k]![j]!);
  return distance;
}

const linkJoins = (link: DependencyLink, needer: string, needed: string) => link.from === needer && link.to === needed;

describe('service graph queries on random catalogs', () => {
  it('reach every dependent once, at its shortest depth, along a path of real links', () => {
    fc.assert(
      fc.property(catalogs, fc.nat(size - 1), (entities, origin) => {
        const graph = buildServiceGraph(entities);
        const distance = distances(entities);
        const dependents = graph.transitiveDependents(componentRef(origin)).filter((hit) => hit.ref.startsWith('component:'));
        const expected = entities.map((_, i) => i).filter((i) => i !== origin && distance[i]![origin]! < Infinity);
        expect(dependents.map((hit) => hit.ref).sort()).toEqual(expected.map(componentRef).sort());
        for (const hit of dependents) {
          const index = Number(hit.ref.slice(hit.ref.lastIndexOf('/s') + 2));
          expect(hit.depth).toBe(distance[index]![origin]);
          expect(hit.path).toHaveLength(hit.depth + 1);
          expect(hit.path[0]).toBe(componentRef(origin));
          expect(hit.path.at(-1)).toBe(hit.ref);
          hit.links.forEach((link, step) => expect(linkJoins(link, hit.path[step + 1]!, hit.path[step]!)).toBe(true));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('agree in both directions: y depends on x exactly when x is among y’s dependencies', () => {
    fc.assert(
      fc.property(catalogs, (entities) => {
        const graph = buildServiceGraph(entities);
        for (const x of entities) {
          for (const hit of graph.transitiveDependents(x.ref)) {
            expect(graph.transitiveDependencies(hit.ref).find((found) => found.ref === x.ref)?.depth).toBe(hit.depth);
          }
          for (const hit of graph.transitiveDependencies(x.ref)) {
            expect(graph.transitiveDependents(hit.ref).find((found) => found.ref === x.ref)?.depth).toBe(hit.depth);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('give the same answers whatever order the entities were loaded in', () => {
    const loadOrders = catalogs.chain((entities) =>
      fc.shuffledSubarray(entities, { minLength: entities.length }).map((shuffled) => [entities, shuffled] as const),
    );
    fc.assert(
      fc.property(loadOrders, fc.nat(size - 1), ([entities, shuffled], origin) => {
        const ref = componentRef(origin);
        const [inOrder, reordered] = [buildServiceGraph(entities), buildServiceGraph(shuffled)];
        expect(reordered.transitiveDependents(ref)).toEqual(inOrder.transitiveDependents(ref));
        expect(reordered.transitiveDependencies(ref)).toEqual(inOrder.transitiveDependencies(ref));
      }),
      { numRuns: 200 },
    );
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UfError } from '../../core/errors.js';
import type { CatalogEntity } from '../../core/service-map.js';
import { parseCatalogFile } from './backstage.js';
import { buildServiceGraph } from './graph.js';
import type { DependencyHit } from './types.js';

function entitiesOf(name: string): CatalogEntity[] {
  const result = parseCatalogFile(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'), name);
  expect(result.errors).toEqual([]);
  return result.entities;
}

const summary = (hits: readonly DependencyHit[]) => hits.map((hit) => [hit.ref, hit.depth]);
const c = (name: string) => `component:default/${name}`;

describe('service graph over a dependency cycle', () => {
  const graph = buildServiceGraph(entitiesOf('cycle.yaml'));

  it('finds direct dependents, including consumers of an API the entity provides', () => {
    expect(summary(graph.directDependents('component:default/c'))).toEqual([
      [c('b'), 1],
      [c('e'), 1],
    ]);
    const viaApi = graph.directDependents('c').find((hit) => hit.ref === c('e'));
    expect(viaApi?.links).toEqual([{ from: c('e'), to: c('c'), relation: 'consumesApi', api: 'api:default/c-api' }]);
  });

  it('walks around a cycle once, with the shortest depth and its path', () => {
    const hits = graph.transitiveDependents('c');
    expect(summary(hits)).toEqual([
      [c('b'), 1],
      [c('e'), 1],
      [c('a'), 2],
      [c('f'), 2],
      [c('d'), 3],
    ]);
    const d = hits.find((hit) => hit.ref === c('d'));
    expect(d?.path).toEqual([c('c'), c('b'), c('a'), c('d')]);
    expect(d?.links.map((link) => `${link.from} ${link.relation} ${link.to}`)).toEqual([
      `${c('b')} dependsOn ${c('c')}`,
      `${c('a')} dependsOn ${c('b')}`,
      `${c('d')} dependsOn ${c('a')}`,
    ]);
    expect(d?.entity?.source.document).toBe(4);
  });

  it('never returns the queried entity, even when the cycle leads back to it', () => {
    for (const name of ['a', 'b', 'c']) {
      expect(graph.transitiveDependents(name).map((hit) => hit.ref)).not.toContain(c(name));
      expect(graph.transitiveDependencies(name).map((hit) => hit.ref)).not.toContain(c(name));
    }
  });

  it('follows dependencies through a consumed API to its provider and on, into dangling refs', () => {
    expect(summary(graph.dependencies('f'))).toEqual([[c('e'), 1]]);
    const hits = graph.transitiveDependencies('component:default/f');
    expect(summary(hits)).toEqual([
      [c('e'), 1],
      ['api:default/c-api', 2],
      [c('c'), 2],
      [c('a'), 3],
      [c('b'), 4],
      ['resource:default/orders-queue', 5],
    ]);
    const queue = hits.at(-1);
    expect(queue?.entity).toBeUndefined();
    expect(queue?.path).toEqual([c('f'), c('e'), c('c'), c('a'), c('b'), 'resource:default/orders-queue']);
  });

  it('lists dangling refs with the relations that name them, without failing', () => {
    expect(graph.danglingRefs()).toEqual([
      { ref: 'group:default/core-team', referencedBy: expect.any(Array) },
      { ref: 'group:default/edge-team', referencedBy: expect.any(Array) },
      {
        ref: 'resource:default/orders-queue',
        referencedBy: [{ type: 'dependsOn', source: c('b'), target: 'resource:default/orders-queue' }],
      },
    ]);
    expect(summary(graph.directDependents('resource:orders-queue'))).toEqual([[c('b'), 1]]);
  });

  it('answers an unknown ref with nothing and a malformed one with a usage error', () => {
    expect(graph.transitiveDependents('component:default/nobody')).toEqual([]);
    expect(() => graph.dependencies('component:')).toThrow(UfError);
  });
});

describe('service graph relations', () => {
  const graph = buildServiceGraph(entitiesOf('catalog-info.yaml'));

  it('records each spec relation with its Backstage inverse', () => {
    const payments = graph.relations('component:default/payments');
    expect(payments).toEqual([
      { type: 'ownedBy', source: c('payments'), target: 'group:default/checkout-team' },
      { type: 'partOf', source: c('payments'), target: 'system:default/checkout' },
      { type: 'dependsOn', source: c('payments'), target: 'resource:default/payments-db' },
      { type: 'dependsOn', source: c('payments'), target: 'component:finance/ledger' },
      { type: 'providesApi', source: c('payments'), target: 'api:default/payments-api' },
    ]);
    expect(graph.relations('api:default/payments-api')).toEqual(
      expect.arrayContaining([
        { type: 'apiProvidedBy', source: 'api:default/payments-api', target: c('payments') },
        { type: 'apiConsumedBy', source: 'api:default/payments-api', target: c('storefront') },
        { type: 'ownedBy', source: 'api:default/payments-api', target: 'group:default/checkout-team' },
      ]),
    );
    const ownerOf = graph.relations('group:checkout-team').filter((relation) => relation.type === 'ownerOf');
    expect(ownerOf.map((relation) => relation.target)).toEqual([
      'system:default/checkout',
      c('payments'),
      'api:default/payments-api',
      'resource:default/payments-db',
      c('storefront'),
    ]);
    expect(graph.relations('system:checkout').filter((relation) => relation.type === 'hasPart')).toHaveLength(4);
    expect(graph.relations('resource:payments-db')).toContainEqual({
      type: 'dependencyOf',
      source: 'resource:default/payments-db',
      target: c('payments'),
    });
  });

  it('reaches the storefront from the payments database through the API it consumes', () => {
    const hit = graph.transitiveDependents('resource:payments-db').find((found) => found.ref === c('storefront'));
    expect(hit?.path).toEqual(['resource:default/payments-db', c('payments'), c('storefront')]);
    expect(hit?.links[1]).toMatchObject({ relation: 'consumesApi', api: 'api:default/payments-api' });
  });

  it('refuses two entities with the same ref', () => {
    const [first] = graph.entities();
    if (!first) throw new Error('fixture has entities');
    const copy = { ...first, source: { file: 'other/catalog-info.yaml', document: 3 } };
    expect(() => buildServiceGraph([first, copy])).toThrow(/duplicate entity domain:default\/commerce/);
  });
});

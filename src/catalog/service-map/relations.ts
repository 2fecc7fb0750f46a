import type { CatalogEntity, EntityRef } from '../../core/service-map.js';
import { inverseRelations, type DependencyLink, type ForwardRelation, type ForwardRelationType, type Relation } from './types.js';

/** The relations each entity declares in its spec, without their inverses. */
export function forwardRelations(entity: CatalogEntity): ForwardRelation[] {
  const source = entity.ref;
  const relation = (type: ForwardRelationType, target: EntityRef): ForwardRelation => ({ type, source, target });
  return [
    ...(entity.owner === undefined ? [] : [relation('ownedBy', entity.owner)]),
    ...(entity.system === undefined ? [] : [relation('partOf', entity.system)]),
    ...entity.dependsOn.map((target) => relation('dependsOn', target)),
    ...entity.providesApis.map((target) => relation('providesApi', target)),
    ...entity.consumesApis.map((target) => relation('consumesApi', target)),
  ];
}

export function inverseRelation(relation: ForwardRelation): Relation {
  return { type: inverseRelations[relation.type], source: relation.target, target: relation.source };
}

/**
 * "`from` needs `to`" links: a `dependsOn`, a consumed API, and the provider behind each consumed
 * API, so that a change to the provider reaches its consumers. Self links are dropped: an entity is
 * never its own dependent.
 */
export function dependencyLinks(entities: readonly CatalogEntity[]): DependencyLink[] {
  const providers = new Map<EntityRef, EntityRef[]>();
  for (const entity of entities) {
    for (const api of entity.providesApis) providers.set(api, [...(providers.get(api) ?? []), entity.ref]);
  }
  const links: DependencyLink[] = [];
  for (const entity of entities) {
    const from = entity.ref;
    for (const to of entity.dependsOn) links.push({ from, to, relation: 'dependsOn' });
    for (const api of entity.consumesApis) {
      links.push({ from, to: api, relation: 'consumesApi' });
      for (const provider of providers.get(api) ?? []) links.push({ from, to: provider, relation: 'consumesApi', api });
    }
  }
  return links.filter((link) => link.from !== link.to);
}

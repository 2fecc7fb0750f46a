import type { UfError } from '../../core/errors.js';
import type { CatalogEntity, EntityRef } from '../../core/service-map.js';

/** A document of a kind the service map does not model (Location, Template, …): skipped, not an error. */
export interface SkippedDocument {
  /** 1-based position of the document in its file, as in `CatalogEntity.source.document`. */
  document: number;
  apiVersion: string;
  kind: string;
  name?: string;
}

export interface ParseCatalogResult {
  /** Every document that is a valid entity, in file order, even when other documents failed. */
  entities: CatalogEntity[];
  /** `parse_error` for malformed YAML, `import_invalid` for a document that is not a valid entity. */
  errors: UfError[];
  /** Problems that do not stop an import, such as an unknown `upgrade-factory.io/*` annotation. */
  warnings: UfError[];
  skipped: SkippedDocument[];
}

/** Backstage's relation names in pairs: the one an entity's spec declares, and its inverse. */
export const inverseRelations = {
  dependsOn: 'dependencyOf',
  providesApi: 'apiProvidedBy',
  consumesApi: 'apiConsumedBy',
  ownedBy: 'ownerOf',
  partOf: 'hasPart',
} as const;
export type ForwardRelationType = keyof typeof inverseRelations;
export type RelationType = ForwardRelationType | (typeof inverseRelations)[ForwardRelationType];

export interface Relation {
  type: RelationType;
  source: EntityRef;
  target: EntityRef;
}

export interface ForwardRelation extends Relation {
  type: ForwardRelationType;
}

/** One hop of "`from` needs `to`": a `dependsOn`, or consuming an API (`api` is set when `to` is its provider). */
export interface DependencyLink {
  from: EntityRef;
  to: EntityRef;
  relation: 'dependsOn' | 'consumesApi';
  api?: EntityRef;
}

/** An entity reached by a dependency query, with the shortest chain that reaches it. */
export interface DependencyHit {
  ref: EntityRef;
  /** Undefined for a dangling ref: named by some entity but not in the catalog. */
  entity: CatalogEntity | undefined;
  /** Number of hops on the shortest chain: 1 for a direct dependent or dependency. */
  depth: number;
  /** Refs from the queried entity to this one, both included: `depth + 1` entries. */
  path: EntityRef[];
  /** The hops along `path`: `links[i]` joins `path[i]` and `path[i + 1]` and says why. */
  links: DependencyLink[];
}

export interface DanglingRef {
  ref: EntityRef;
  /** The forward relations that name it, e.g. `{ type: 'dependsOn', source: 'component:default/a', target: ref }`. */
  referencedBy: ForwardRelation[];
}

export interface ServiceGraph {
  entity(ref: string): CatalogEntity | undefined;
  entities(): CatalogEntity[];
  /** Relations whose source is `ref`, forward and inverse, as Backstage lists them on an entity. */
  relations(ref: string): Relation[];
  /** Entities that depend on `ref` or consume an API it provides. */
  directDependents(ref: string): DependencyHit[];
  transitiveDependents(ref: string): DependencyHit[];
  /** What `ref` depends on: its `dependsOn`, the APIs it consumes and their providers. */
  dependencies(ref: string): DependencyHit[];
  transitiveDependencies(ref: string): DependencyHit[];
  danglingRefs(): DanglingRef[];
}

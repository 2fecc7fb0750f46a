export { parseCatalogFile } from './backstage.js';
export { buildServiceGraph } from './graph.js';
export { entityRef, parseEntityRef, type ParsedRef, type RefDefaults, type RefParseResult } from './refs.js';
export { factoryAnnotations } from './annotations.js';
export { inverseRelations } from './types.js';
export type {
  DanglingRef,
  DependencyHit,
  DependencyLink,
  ForwardRelation,
  ForwardRelationType,
  ParseCatalogResult,
  Relation,
  RelationType,
  ServiceGraph,
  SkippedDocument,
} from './types.js';

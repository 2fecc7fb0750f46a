/** The service map, read from Backstage catalog entities. */
export const entityKinds = ['Component', 'System', 'Resource', 'API', 'Group', 'User', 'Domain'] as const;
export type EntityKind = (typeof entityKinds)[number];
export type Tier = 'critical' | 'high' | 'medium' | 'low';
export type CriticalPath = 'auth' | 'payment' | 'integration';

/** Backstage entity reference in its full form: `kind:namespace/name`, lower-cased. */
export type EntityRef = string;

export interface CatalogEntity {
  ref: EntityRef;
  kind: EntityKind;
  namespace: string;
  name: string;
  title?: string;
  description?: string;
  /** Backstage `metadata.tags`; absent when it has none (and on entities stored before tags were kept). */
  tags?: string[];
  /** Component/Resource/API `spec.type`, e.g. `service`, `website`, `database`, `openapi`. */
  type?: string;
  lifecycle?: string;
  owner?: EntityRef;
  system?: EntityRef;
  dependsOn: EntityRef[];
  providesApis: EntityRef[];
  consumesApis: EntityRef[];
  /** Factory facts from `upgrade-factory.io/*` annotations. */
  factory: {
    tier?: Tier;
    criticalPaths: CriticalPath[];
    /** Share of the organisation's user traffic this entity serves, 0..1. */
    trafficShare?: number;
    downtimeCostPerHour?: number;
    /** Reachable from the internet (`upgrade-factory.io/internet-exposed`); undefined = not recorded. */
    internetExposed?: boolean;
  };
  annotations: Record<string, string>;
  /** Where the entity came from, for error messages and re-imports. */
  source: { file: string; document: number };
}

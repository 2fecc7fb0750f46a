import type { CatalogEntity, CriticalPath, Tier } from '../../core/service-map.js';

export const factoryAnnotationPrefix = 'upgrade-factory.io/';
export const factoryAnnotations = {
  tier: 'upgrade-factory.io/tier',
  criticalPaths: 'upgrade-factory.io/critical-paths',
  trafficShare: 'upgrade-factory.io/traffic-share',
  downtimeCostPerHour: 'upgrade-factory.io/downtime-cost-per-hour',
  internetExposed: 'upgrade-factory.io/internet-exposed',
} as const;

const tiers: readonly Tier[] = ['critical', 'high', 'medium', 'low'];
const criticalPaths: readonly CriticalPath[] = ['auth', 'payment', 'integration'];
const knownAnnotations: ReadonlySet<string> = new Set(Object.values(factoryAnnotations));

export interface AnnotationProblem {
  annotation: string;
  message: string;
}

export interface FactoryAnnotationsResult {
  factory: CatalogEntity['factory'];
  /** Values that do not mean what the annotation needs: the entity must not be imported. */
  problems: AnnotationProblem[];
  /** `upgrade-factory.io/*` keys this importer does not know, most likely typos. */
  unknown: string[];
}

type Reading<T> = { ok: true; value: T } | { ok: false; expected: string };

/** Reads the `upgrade-factory.io/*` annotations, collecting every problem instead of stopping at the first. */
export function readFactoryAnnotations(annotations: Readonly<Record<string, string>>): FactoryAnnotationsResult {
  const factory: CatalogEntity['factory'] = { criticalPaths: [] };
  const problems: AnnotationProblem[] = [];
  const read = <T>(annotation: string, reader: (raw: string) => Reading<T>, assign: (value: T) => void): void => {
    const raw = annotations[annotation];
    if (raw === undefined) return;
    const reading = reader(raw);
    if (reading.ok) assign(reading.value);
    else problems.push({ annotation, message: `expected ${reading.expected}, got ${JSON.stringify(raw)}` });
  };
  read(factoryAnnotations.tier, readTier, (value) => (factory.tier = value));
  read(factoryAnnotations.criticalPaths, readCriticalPaths, (value) => (factory.criticalPaths = value));
  read(factoryAnnotations.trafficShare, readTrafficShare, (value) => (factory.trafficShare = value));
  read(factoryAnnotations.downtimeCostPerHour, readDowntimeCost, (value) => (factory.downtimeCostPerHour = value));
  read(factoryAnnotations.internetExposed, readInternetExposed, (value) => (factory.internetExposed = value));
  const unknown = Object.keys(annotations).filter((key) => key.startsWith(factoryAnnotationPrefix) && !knownAnnotations.has(key));
  return { factory, problems, unknown };
}

export function readTier(raw: string): Reading<Tier> {
  const value = raw.trim().toLowerCase();
  const tier = tiers.find((known) => known === value);
  return tier ? { ok: true, value: tier } : { ok: false, expected: `one of ${tiers.join(', ')}` };
}

/** Comma-separated, any order, duplicates folded; an empty value means no critical path. */
export function readCriticalPaths(raw: string): Reading<CriticalPath[]> {
  const found = new Set<CriticalPath>();
  for (const item of raw.split(',')) {
    const value = item.trim().toLowerCase();
    if (value === '') continue;
    const path = criticalPaths.find((known) => known === value);
    if (!path) return { ok: false, expected: `a comma-separated list of ${criticalPaths.join(', ')}` };
    found.add(path);
  }
  return { ok: true, value: criticalPaths.filter((path) => found.has(path)) };
}

const decimal = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A fraction `0.12` or a percentage `12%`, both meaning twelve percent of user traffic. */
export function readTrafficShare(raw: string): Reading<number> {
  const expected = 'a share from 0 to 1 such as 0.12, or a percentage such as 12%';
  const text = raw.trim();
  const isPercent = text.endsWith('%');
  const number = isPercent ? text.slice(0, -1).trim() : text;
  if (!decimal.test(number)) return { ok: false, expected };
  const share = isPercent ? Number(number) / 100 : Number(number);
  return share <= 1 ? { ok: true, value: share } : { ok: false, expected };
}

export function readDowntimeCost(raw: string): Reading<number> {
  const text = raw.trim();
  if (!decimal.test(text)) return { ok: false, expected: 'a non-negative number such as 2500' };
  return { ok: true, value: Number(text) };
}

/**
 * `"true"` or `"false"` and nothing else: exposure feeds the risk score, so a `yes`, `1` or typo
 * must not silently read as "not exposed" (absent means unknown, which scores between the two).
 */
export function readInternetExposed(raw: string): Reading<boolean> {
  const text = raw.trim();
  if (text === 'true') return { ok: true, value: true };
  if (text === 'false') return { ok: true, value: false };
  return { ok: false, expected: '"true" or "false"' };
}

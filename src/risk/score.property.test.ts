import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tier } from '../core/service-map.js';
import { riskPolicySchema, type RiskPolicy } from '../config/sections/risk-policy.js';
import { scoreRisk } from './score.js';
import { cisaDecisionRank } from './ssvc/decide.js';
import type { AffectedService, FixedAdvisory, RiskInput } from './types.js';

/** Base metric values from least to most severe, per version, so "worse" is one step right. */
const severityOrder = {
  '3.1': { AV: ['P', 'L', 'A', 'N'], AC: ['H', 'L'], PR: ['H', 'L', 'N'], UI: ['R', 'N'], S: ['U', 'C'], C: ['N', 'L', 'H'], I: ['N', 'L', 'H'], A: ['N', 'L', 'H'] },
  '4.0': {
    AV: ['P', 'L', 'A', 'N'],
    AC: ['H', 'L'],
    AT: ['P', 'N'],
    PR: ['H', 'L', 'N'],
    UI: ['A', 'P', 'N'],
    VC: ['N', 'L', 'H'],
    VI: ['N', 'L', 'H'],
    VA: ['N', 'L', 'H'],
    SC: ['N', 'L', 'H'],
    SI: ['N', 'L', 'H'],
    SA: ['N', 'L', 'H'],
  },
} as const;
type Version = keyof typeof severityOrder;

interface VectorModel {
  version: Version;
  levels: number[];
}

const metricsOf = (version: Version): [string, readonly string[]][] => Object.entries(severityOrder[version]);

/** Levels lean to the most severe value, so vectors one step from a threshold (automatable, total impact) are common. */
const level = (max: number) => fc.oneof({ arbitrary: fc.constant(max), weight: 2 }, { arbitrary: fc.nat(max), weight: 1 });

const vectorModel: fc.Arbitrary<VectorModel> = fc.constantFrom<Version>('3.1', '4.0').chain((version) =>
  fc.tuple(...metricsOf(version).map(([, values]) => level(values.length - 1))).map((levels) => ({ version, levels })),
);

const toVector = ({ version, levels }: VectorModel): string =>
  `CVSS:${version}/${metricsOf(version)
    .map(([name, values], i) => `${name}:${values[levels[i] ?? 0] ?? ''}`)
    .join('/')}`;

interface AdvisoryModel extends Omit<FixedAdvisory, 'cvssVectors'> {
  vectors: VectorModel[];
}

const advisoryModel: fc.Arbitrary<AdvisoryModel> = fc.record({
  id: fc.constantFrom('GHSA-aaaa', 'GHSA-bbbb', 'GHSA-cccc'),
  aliases: fc.constantFrom([], ['CVE-2024-0001']),
  vectors: fc.array(vectorModel, { maxLength: 2 }),
  severityLabel: fc.option(fc.constantFrom('LOW', 'MODERATE', 'HIGH', 'CRITICAL'), { nil: undefined }),
  epss: fc.option(fc.record({ score: fc.double({ min: 0, max: 1, noNaN: true }), percentile: fc.double({ min: 0, max: 1, noNaN: true }) }), { nil: undefined }),
  kev: fc.option(fc.record({ dateAdded: fc.constant('2024-05-01'), knownRansomware: fc.boolean() }), { nil: undefined }),
});

const tiers: readonly Tier[] = ['low', 'medium', 'high', 'critical'];

const service: fc.Arbitrary<AffectedService> = fc.record({
  name: fc.constantFrom('api', 'web', 'billing', 'search'),
  tier: fc.option(fc.constantFrom(...tiers), { nil: undefined }),
  trafficShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  criticalPaths: fc.subarray(['auth', 'payment', 'integration'] as const),
  transitiveDependents: fc.nat(40),
  internetFacing: fc.option(fc.boolean(), { nil: undefined }),
});

interface Model extends Omit<RiskInput, 'advisories'> {
  advisories: AdvisoryModel[];
}

const model: fc.Arbitrary<Model> = fc.record({
  advisories: fc.array(advisoryModel, { maxLength: 3 }),
  services: fc.array(service, { maxLength: 4 }),
  reversibility: fc.record({
    majorVersionChange: fc.boolean(),
    breakingChanges: fc.nat(8),
    migrationsRequired: fc.nat(3),
    deprecations: fc.nat(12),
    rollbackDrillAgeDays: fc.option(fc.nat(120), { nil: undefined }),
  }),
  endOfLife: fc.option(fc.record({ daysToEol: fc.option(fc.integer({ min: -100, max: 400 }), { nil: undefined }) }), { nil: undefined }),
});

/** Any valid policy: monotonicity must not depend on the defaults. */
const policy: fc.Arbitrary<RiskPolicy> = fc
  .record({
    weights: fc.record({ exploitability: fc.nat(100), blastRadius: fc.nat(100), reversibility: fc.nat(100), endOfLife: fc.nat(100) }),
    thresholds: fc.record({ epssPublicPoc: fc.double({ min: 0.001, max: 1, noNaN: true }), recentDrillDays: fc.integer({ min: 1, max: 90 }), eolHorizonDays: fc.integer({ min: 1, max: 365 }) }),
    unknownTier: fc.constantFrom(...tiers),
  })
  .filter(({ weights }) => Object.values(weights).some((weight) => weight > 0))
  .map((raw) => riskPolicySchema.parse(raw));

const toInput = (m: Model): RiskInput => ({ ...m, advisories: m.advisories.map(({ vectors, ...rest }) => ({ ...rest, cvssVectors: vectors.map(toVector) })) });

const assess = (m: Model, p: RiskPolicy) => scoreRisk(toInput(m), p);

/** Worse facts never lower the score, the SSVC decision, nor any single factor's contribution. */
function expectNotLower(before: Model, after: Model, p: RiskPolicy): void {
  const a = assess(before, p);
  const b = assess(after, p);
  expect(b.score).toBeGreaterThanOrEqual(a.score);
  expect(cisaDecisionRank(b.decision)).toBeGreaterThanOrEqual(cisaDecisionRank(a.decision));
  a.factors.forEach((factor, i) => {
    expect(b.factors[i]?.contribution, `${factor.name}: ${factor.reason} → ${b.factors[i]?.reason ?? ''}`).toBeGreaterThanOrEqual(factor.contribution);
  });
}

describe('scoreRisk properties', () => {
  it('scores 0..100 as an integer and lists all 19 factors whatever the input', () => {
    fc.assert(
      fc.property(model, policy, (m, p) => {
        const assessment = assess(m, p);
        expect(Number.isInteger(assessment.score)).toBe(true);
        expect(assessment.score).toBeGreaterThanOrEqual(0);
        expect(assessment.score).toBeLessThanOrEqual(100);
        expect(assessment.factors).toHaveLength(19);
        for (const item of assessment.factors) expect(item.contribution).toBeLessThanOrEqual(item.weight);
      }),
    );
  });

  it('never lowers the score when one CVSS base metric of one vector gets worse', () => {
    const withVector = fc.tuple(model, policy, fc.nat(), fc.nat()).filter(([m]) => m.advisories.some((advisory) => advisory.vectors.length > 0));
    fc.assert(
      fc.property(withVector, ([m, p, vectorPick, metricPick]) => {
        const candidates = m.advisories.flatMap((advisory, a) => advisory.vectors.map((_, v) => [a, v] as const));
        const [a, v] = candidates[vectorPick % candidates.length] ?? [0, 0];
        const vector = m.advisories[a]?.vectors[v];
        if (!vector) throw new Error('no vector picked');
        const metrics = metricsOf(vector.version);
        const raisable = metrics.map((_, i) => i).filter((i) => (vector.levels[i] ?? 0) < (metrics[i]?.[1].length ?? 0) - 1);
        fc.pre(raisable.length > 0);
        const metric = raisable[metricPick % raisable.length] ?? 0;
        const worse = structuredClone(m);
        const target = worse.advisories[a]?.vectors[v];
        if (!target) throw new Error('no vector to change');
        target.levels[metric] = (target.levels[metric] ?? 0) + 1;
        expectNotLower(m, worse, p);
      }),
      { numRuns: 500 },
    );
  });

  it('never lowers the score when an advisory is added to CISA KEV', () => {
    fc.assert(
      fc.property(model, policy, fc.nat(), fc.boolean(), (m, p, pick, knownRansomware) => {
        const unlisted = m.advisories.map((advisory, i) => (advisory.kev ? -1 : i)).filter((i) => i >= 0);
        fc.pre(unlisted.length > 0);
        const worse = structuredClone(m);
        const target = worse.advisories[unlisted[pick % unlisted.length] ?? 0];
        if (!target) throw new Error('no advisory picked');
        target.kev = { dateAdded: '2025-01-01', knownRansomware };
        expectNotLower(m, worse, p);
        expect(assess(worse, p).ssvcInputs.exploitation).toBe('active');
      }),
    );
  });

  it('never lowers the score when a service moves to a higher tier', () => {
    fc.assert(
      fc.property(model, policy, fc.nat(), fc.nat(), (m, p, servicePick, steps) => {
        const raisable = m.services.map((s, i) => (s.tier !== undefined && s.tier !== 'critical' ? i : -1)).filter((i) => i >= 0);
        fc.pre(raisable.length > 0);
        const worse = structuredClone(m);
        const target = worse.services[raisable[servicePick % raisable.length] ?? 0];
        if (!target?.tier) throw new Error('no service picked');
        const from = tiers.indexOf(target.tier);
        target.tier = tiers[from + 1 + (steps % (tiers.length - 1 - from))];
        expectNotLower(m, worse, p);
      }),
    );
  });

  it('never lowers the score when a service gains transitive dependents', () => {
    fc.assert(
      fc.property(model, policy, fc.nat(), fc.integer({ min: 1, max: 30 }), (m, p, pick, more) => {
        fc.pre(m.services.length > 0);
        const worse = structuredClone(m);
        const target = worse.services[pick % worse.services.length];
        if (!target) throw new Error('no service picked');
        target.transitiveDependents += more;
        expectNotLower(m, worse, p);
      }),
    );
  });

  it('never lowers the score when the upgrade gains breaking changes', () => {
    fc.assert(
      fc.property(model, policy, fc.integer({ min: 1, max: 10 }), (m, p, more) => {
        const worse = structuredClone(m);
        worse.reversibility.breakingChanges += more;
        expectNotLower(m, worse, p);
        expect(assess(worse, p).changeClass).not.toBe('standard');
      }),
    );
  });

  it('never lowers the score when EPSS rises', () => {
    fc.assert(
      fc.property(model, policy, fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), (m, p, pick, rise) => {
        fc.pre(m.advisories.length > 0);
        const worse = structuredClone(m);
        const target = worse.advisories[pick % worse.advisories.length];
        if (!target) throw new Error('no advisory picked');
        const before = target.epss ?? { score: 0, percentile: 0 };
        target.epss = { score: Math.min(1, before.score + rise), percentile: Math.min(1, before.percentile + rise) };
        if (!m.advisories[pick % m.advisories.length]?.epss) {
          // from unknown to known: compare against a known zero, as unknown and 0 both count nothing
          const zero = structuredClone(m);
          const base = zero.advisories[pick % zero.advisories.length];
          if (base) base.epss = { score: 0, percentile: 0 };
          expectNotLower(zero, worse, p);
          return;
        }
        expectNotLower(m, worse, p);
      }),
    );
  });
});

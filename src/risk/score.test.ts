import { describe, expect, it } from 'vitest';
import { defaultRiskPolicy, riskPolicySchema } from '../config/sections/risk-policy.js';
import { scoreRisk } from './score.js';
import type { AffectedService, FixedAdvisory, Reversibility, RiskInput } from './types.js';

/** The public Log4Shell facts: GHSA-jfh8-c2jp-5v3q, CISA KEV entry of 2021-12-10 with known ransomware use, EPSS near 0.94. */
const log4shell: FixedAdvisory = {
  id: 'GHSA-jfh8-c2jp-5v3q',
  aliases: ['CVE-2021-44228'],
  cvssVectors: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H'],
  severityLabel: 'CRITICAL',
  epss: { score: 0.94358, percentile: 0.99956 },
  kev: { dateAdded: '2021-12-10', knownRansomware: true },
};

const paymentsService: AffectedService = {
  name: 'payments',
  tier: 'critical',
  trafficShare: 0.3,
  criticalPaths: ['payment'],
  transitiveDependents: 4,
  internetFacing: true,
};

const patchUpgrade: Reversibility = {
  majorVersionChange: false,
  breakingChanges: 0,
  migrationsRequired: 0,
  deprecations: 0,
  rollbackDrillAgeDays: 7,
};

/** A local, high-complexity, low-impact issue in an internal low-tier tool. */
const lowSeverityDevTool: RiskInput = {
  advisories: [
    {
      id: 'GHSA-0000-0000-0001',
      aliases: ['CVE-2024-00001'],
      cvssVectors: ['CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N'],
      epss: { score: 0.0004, percentile: 0.08 },
    },
  ],
  services: [{ name: 'docs-builder', tier: 'low', trafficShare: 0, criticalPaths: [], transitiveDependents: 0, internetFacing: false }],
  reversibility: patchUpgrade,
};

const allFactors = [
  ['exploitability', ['cvssBase', 'epss', 'kev', 'knownRansomware', 'automatable', 'technicalImpact']],
  ['blast_radius', ['services', 'tier', 'trafficShare', 'criticalPaths', 'transitiveDependents', 'internetFacing', 'missionWellbeing']],
  ['reversibility', ['majorVersion', 'breakingChanges', 'migrations', 'deprecations', 'rollbackDrill']],
  ['end_of_life', ['endOfLife']],
] as const;

const log4shellOnPayments: RiskInput = { advisories: [log4shell], services: [paymentsService], reversibility: patchUpgrade };

const factor = (input: RiskInput, name: string, policy = defaultRiskPolicy) => {
  const found = scoreRisk(input, policy).factors.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no factor ${name}`);
  return found;
};

describe('scoreRisk', () => {
  it('puts Log4Shell on a critical payment-path service at act, emergency, 90+, and says KEV', () => {
    const assessment = scoreRisk(log4shellOnPayments, defaultRiskPolicy);
    expect(assessment.decision).toBe('act');
    expect(assessment.changeClass).toBe('emergency');
    expect(assessment.score).toBeGreaterThanOrEqual(90);
    expect(assessment.ssvcInputs).toEqual({ exploitation: 'active', automatable: 'yes', technicalImpact: 'total', missionWellbeing: 'high' });
    expect(assessment.summary).toContain('KEV');
    expect(assessment.decisionReason).toContain('CISA KEV lists it as exploited in the wild since 2021-12-10');
    expect(factor(log4shellOnPayments, 'kev')).toMatchObject({ value: true, reason: expect.stringContaining('CISA KEV') });
  });

  it('keeps a low-severity issue in an internal low-tier tool at track, standard, low score', () => {
    const assessment = scoreRisk(lowSeverityDevTool, defaultRiskPolicy);
    expect(assessment).toMatchObject({ decision: 'track', changeClass: 'standard' });
    expect(assessment.score).toBeLessThan(20);
    expect(assessment.changeClassReason).toMatch(/^Standard change/);
  });

  it('lists every factor, in a fixed order, with a weight, a contribution and a sentence', () => {
    const { factors } = scoreRisk(lowSeverityDevTool, defaultRiskPolicy);
    expect(factors.map((item) => [item.group, item.name])).toEqual(allFactors.flatMap(([group, names]) => names.map((name) => [group, name])));
    for (const item of factors) {
      expect(item.reason).toMatch(/^[A-Za-z0-9].*\.$/);
      expect(item.contribution).toBeLessThanOrEqual(item.weight);
      expect(item.contribution).toBeGreaterThanOrEqual(0);
    }
  });

  it('splits each group’s points among its factors by their policy shares', () => {
    const { factors } = scoreRisk(log4shellOnPayments, defaultRiskPolicy);
    const points = { exploitability: 65, blast_radius: 40, reversibility: 20, end_of_life: 10 };
    for (const [group, total] of Object.entries(points)) {
      const sum = factors.filter((item) => item.group === group).reduce((acc, item) => acc + item.weight, 0);
      expect(sum).toBeCloseTo(total, 1);
    }
    expect(factor(log4shellOnPayments, 'kev').weight).toBe(19.5); // 65 × 30 / 100
  });

  it('follows the policy: a group with no points adds nothing', () => {
    const policy = riskPolicySchema.parse({ weights: { exploitability: 0 } });
    const assessment = scoreRisk(log4shellOnPayments, policy);
    expect(assessment.factors.filter((item) => item.group === 'exploitability').every((item) => item.contribution === 0)).toBe(true);
    expect(assessment.score).toBeLessThan(scoreRisk(log4shellOnPayments, defaultRiskPolicy).score);
    expect(assessment.decision).toBe('act'); // the SSVC decision does not depend on weights
  });

  it('caps the score at 100 and says so', () => {
    const worst: RiskInput = {
      advisories: [log4shell],
      services: [{ ...paymentsService, trafficShare: 1, transitiveDependents: 50 }, ...Array.from({ length: 10 }, (_, i) => ({ ...paymentsService, name: `s${i}` }))],
      reversibility: { majorVersionChange: true, breakingChanges: 9, migrationsRequired: 3, deprecations: 20 },
      endOfLife: { eolDate: '2024-01-01', daysToEol: -30 },
    };
    const assessment = scoreRisk(worst, defaultRiskPolicy);
    expect(assessment.score).toBe(100);
    expect(assessment.summary).toMatch(/capped at 100/);
  });

  it('decides per advisory rather than mixing the worst inputs of several', () => {
    // Alone, each is attend; mixed into one (active, automatable, total) they would wrongly make act.
    const exploitedButPartial: FixedAdvisory = { id: 'GHSA-a', aliases: [], cvssVectors: ['CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N'], kev: { dateAdded: '2024-01-01', knownRansomware: false } };
    const severeButUnexploited: FixedAdvisory = { id: 'GHSA-b', aliases: [], cvssVectors: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'] };
    const input: RiskInput = { advisories: [severeButUnexploited, exploitedButPartial], services: [paymentsService], reversibility: patchUpgrade };
    const assessment = scoreRisk(input, defaultRiskPolicy);
    expect(assessment.decision).toBe('attend');
    expect(assessment.ssvcInputs.exploitation).toBe('active'); // the tie goes to the exploited advisory
    expect(assessment.decisionReason).toMatch(/^GHSA-a is the most urgent of 2 fixed advisories/);
    expect(assessment.changeClass).toBe('normal');
  });

  it('ignores unscorable vectors with a reason, and falls back to the GHSA severity label', () => {
    const advisory: FixedAdvisory = { id: 'GHSA-c', aliases: ['CVE-2020-0001'], cvssVectors: ['AV:N/AC:L/Au:N/C:P/I:P/A:P'], severityLabel: 'HIGH' };
    const input: RiskInput = { ...lowSeverityDevTool, advisories: [advisory] };
    const cvss = factor(input, 'cvssBase');
    expect(cvss.value).toBe(8);
    expect(cvss.reason).toContain('GHSA severity HIGH stands for 8.0');
    expect(cvss.reason).toContain('Ignored 1 vector that could not be scored');
    expect(cvss.reason).toContain('CVSS v2 vectors are not supported');
  });

  it('takes the highest base score when an advisory has both v3.1 and v4.0 vectors', () => {
    const advisory: FixedAdvisory = {
      id: 'GHSA-qw6h-vgh9-j6wx',
      aliases: ['CVE-2024-43796'],
      cvssVectors: ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:L', 'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:L'],
    };
    expect(factor({ ...lowSeverityDevTool, advisories: [advisory] }, 'cvssBase').value).toBe(5);
  });

  it('scores a maintenance upgrade with no advisory on its blast radius and reversibility alone', () => {
    const input: RiskInput = {
      advisories: [],
      services: [paymentsService],
      reversibility: { majorVersionChange: true, breakingChanges: 3, migrationsRequired: 1, deprecations: 2 },
    };
    const assessment = scoreRisk(input, defaultRiskPolicy);
    expect(assessment.decision).toBe('track');
    expect(assessment.changeClass).toBe('normal');
    expect(assessment.changeClassReason).toBe(
      'Normal change (approvals required) because it crosses a major version, it has 3 breaking changes, it needs 1 migration, no rollback drill is recorded.',
    );
    expect(assessment.factors.filter((item) => item.group === 'exploitability').every((item) => item.contribution === 0)).toBe(true);
    expect(assessment.score).toBeGreaterThan(30);
  });

  it.each([
    [{ rollbackDrillAgeDays: 45 }, /the last rollback drill is 45 days old \(recent means 30 days\)/],
    [{ rollbackDrillAgeDays: undefined }, /no rollback drill is recorded/],
    [{ breakingChanges: 1 }, /it has 1 breaking change/],
  ])('is not a standard change when %j', (change, reason) => {
    const assessment = scoreRisk({ ...lowSeverityDevTool, reversibility: { ...patchUpgrade, ...change } }, defaultRiskPolicy);
    expect(assessment.changeClass).toBe('normal');
    expect(assessment.changeClassReason).toMatch(reason);
  });

  it('marks public PoC from EPSS and keeps it a normal change', () => {
    const advisory: FixedAdvisory = { ...log4shell, kev: undefined, epss: { score: 0.2, percentile: 0.96 } };
    const assessment = scoreRisk({ ...log4shellOnPayments, advisories: [advisory] }, defaultRiskPolicy);
    expect(assessment.ssvcInputs.exploitation).toBe('public_poc');
    expect(assessment.decision).toBe('attend');
    expect(assessment.changeClass).toBe('normal');
    expect(assessment.decisionReason).toContain('EPSS 0.2 is at or above 0.1 (policy thresholds.epssPublicPoc)');
  });

  it('counts end of life from the horizon on, fully once past', () => {
    const at = (daysToEol: number | undefined) => factor({ ...lowSeverityDevTool, endOfLife: { eolDate: '2026-01-01', daysToEol } }, 'endOfLife');
    expect(at(365).contribution).toBe(0);
    expect(at(90).contribution).toBe(5);
    expect(at(-10)).toMatchObject({ contribution: 10, reason: expect.stringContaining('reached end of life 10 days ago (2026-01-01)') });
    expect(at(undefined)).toMatchObject({ value: '2026-01-01', contribution: 0 });
  });

  it('is deterministic', () => {
    expect(scoreRisk(log4shellOnPayments, defaultRiskPolicy)).toEqual(scoreRisk(structuredClone(log4shellOnPayments), defaultRiskPolicy));
  });

  describe('when no release notes cover the move', () => {
    const unknownNotes = { ...lowSeverityDevTool, reversibility: { ...patchUpgrade, releaseNotesUnknown: 'no release notes for 0.4.0 → 9.0.0' } };

    it('says unknown instead of "no breaking change", and counts it between none and fully', () => {
      for (const name of ['breakingChanges', 'migrations', 'deprecations']) {
        const known = factor(lowSeverityDevTool, name);
        const unknown = factor(unknownNotes, name);
        expect(known.reason).not.toMatch(/unknown/i);
        expect(unknown.value).toBe('unknown');
        expect(unknown.reason).toContain('Unknown (no release notes for 0.4.0 → 9.0.0)');
        expect(unknown.contribution).toBeGreaterThan(known.contribution);
        expect(unknown.contribution).toBeLessThan(unknown.weight);
      }
      expect(scoreRisk(unknownNotes, defaultRiskPolicy).score).toBeGreaterThan(scoreRisk(lowSeverityDevTool, defaultRiskPolicy).score);
    });

    it('still counts what partial notes list when that counts more than unknown', () => {
      const partial = factor({ ...unknownNotes, reversibility: { ...unknownNotes.reversibility, breakingChanges: 5 } }, 'breakingChanges');
      expect(partial).toMatchObject({ value: 'at least 5', reason: expect.stringContaining('more may exist') });
      expect(partial.contribution).toBe(partial.weight);
    });

    it('takes the share from policy unknown.*', () => {
      const policy = riskPolicySchema.parse({ unknown: { breakingChanges: 1 } });
      const unknown = factor(unknownNotes, 'breakingChanges', policy);
      expect(unknown.contribution).toBe(unknown.weight);
      expect(() => riskPolicySchema.parse({ unknown: { migrations: 1.5 } })).toThrow();
    });

    it('is never a standard change, and the reason says why', () => {
      const drilled = { ...unknownNotes, reversibility: { ...unknownNotes.reversibility, rollbackDrillAgeDays: 1 } };
      expect(scoreRisk({ ...lowSeverityDevTool, reversibility: { ...patchUpgrade, rollbackDrillAgeDays: 1 } }, defaultRiskPolicy).changeClass).toBe('standard');
      const assessment = scoreRisk(drilled, defaultRiskPolicy);
      expect(assessment.changeClass).toBe('normal');
      expect(assessment.changeClassReason).toContain('its breaking changes and migrations are unknown (no release notes for 0.4.0 → 9.0.0)');
    });
  });

  it('says unknown, not "KEV lists none", when no KEV catalog or EPSS data is configured', () => {
    const advisory: FixedAdvisory = { ...log4shell, kev: undefined, epss: undefined };
    const input: RiskInput = { ...log4shellOnPayments, advisories: [advisory] };
    expect(factor(input, 'kev')).toMatchObject({ value: false, reason: expect.stringContaining('lists none') });
    const blind = { ...input, sources: { kev: false, epss: false } };
    expect(factor(blind, 'kev')).toMatchObject({ value: 'unknown', reason: expect.stringContaining('No CISA KEV catalog is configured') });
    expect(factor(blind, 'knownRansomware').value).toBe('unknown');
    expect(factor(blind, 'epss').reason).toContain('No EPSS data is configured');
    // A KEV listing is still a listing, whatever the flag says.
    expect(factor({ ...log4shellOnPayments, sources: { kev: false, epss: false } }, 'kev').value).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { defaultEconomics, economicsSchema } from '../../config/sections/economics.js';
import { avoidedCost, type EconomicsInput } from './model.js';

const base: EconomicsInput = {
  advisories: [
    { label: 'GHSA-aaaa (CVE-2026-1)', severity: { value: 'critical', source: 'CVSS 3.1 base 9.8' }, epss: { value: 0.97, source: 'FIRST EPSS 2026-11-30' }, epssLoaded: true },
    { label: 'GHSA-bbbb (CVE-2026-2)', severity: { value: 'medium', source: 'CVSS 3.1 base 5.3' }, epss: { value: 0.1, source: 'FIRST EPSS 2026-11-30' }, epssLoaded: true },
  ],
  services: [
    { name: 'checkout', role: 'affected', costPerHour: { value: 12_000, source: 'catalog annotation on service checkout' } },
    { name: 'web', role: 'dependent', via: 'checkout', costPerHour: { value: 1_000, source: 'catalog annotation on service web' } },
  ],
  policy: defaultEconomics,
  policySource: 'factory.yaml',
};

describe('avoided downtime cost', () => {
  it('multiplies likelihood, expected outage hours and the blast radius cost, showing every input with its source', () => {
    const cost = avoidedCost(base);
    expect(cost.status).toBe('known');
    if (cost.status !== 'known') return;
    // max(0.97 × 8, 0.1 × 2) × (12,000 + 1,000)
    expect(cost.amount).toBeCloseTo(0.97 * 8 * 13_000, 6);
    expect(cost.formula).toBe('0.97 likelihood × 8 h expected outage (GHSA-aaaa (CVE-2026-1), the worst advisory) × 13,000 EUR/h (2 services in the blast radius) = 100,880 EUR');
    expect(cost.inputs).toEqual([
      { name: 'EPSS of GHSA-aaaa (CVE-2026-1)', value: '0.97', source: 'FIRST EPSS 2026-11-30' },
      { name: 'severity of GHSA-aaaa (CVE-2026-1)', value: 'critical', source: 'CVSS 3.1 base 9.8' },
      { name: 'expected outage hours (critical)', value: '8 h', source: 'factory.yaml economics.outageHours.critical' },
      { name: 'EPSS of GHSA-bbbb (CVE-2026-2)', value: '0.1', source: 'FIRST EPSS 2026-11-30' },
      { name: 'severity of GHSA-bbbb (CVE-2026-2)', value: 'medium', source: 'CVSS 3.1 base 5.3' },
      { name: 'expected outage hours (medium)', value: '2 h', source: 'factory.yaml economics.outageHours.medium' },
      { name: 'downtime cost/hour of checkout (affected service)', value: '12,000 EUR', source: 'catalog annotation on service checkout' },
      { name: 'downtime cost/hour of web (dependent of checkout)', value: '1,000 EUR', source: 'catalog annotation on service web' },
    ]);
  });

  it('raises a KEV-listed advisory to the configured floor, and names the key', () => {
    const policy = economicsSchema.parse({ kevLikelihoodFloor: 0.8 });
    const cost = avoidedCost({
      ...base,
      policy,
      advisories: [{ label: 'CVE-2026-3', severity: { value: 'high', source: 'GHSA label HIGH' }, kev: { value: '2026-11-01', source: 'CISA KEV catalog' }, epssLoaded: false }],
    });
    expect(cost.status).toBe('known');
    if (cost.status !== 'known') return;
    expect(cost.amount).toBeCloseTo(0.8 * 4 * 13_000, 6);
    expect(cost.inputs).toContainEqual({ name: 'KEV likelihood floor', value: '0.8', source: 'factory.yaml economics.kevLikelihoodFloor' });
    expect(cost.inputs).toContainEqual({ name: 'KEV listing of CVE-2026-3', value: 'listed since 2026-11-01', source: 'CISA KEV catalog' });
  });

  it('shares the organisation cost by traffic share for a service without its own cost', () => {
    const policy = economicsSchema.parse({ organisationCostPerHour: 50_000, currency: 'USD' });
    const cost = avoidedCost({ ...base, policy, services: [{ name: 'search', role: 'affected', trafficShare: { value: 0.12, source: 'catalog annotation on service search' } }] });
    expect(cost.status).toBe('known');
    if (cost.status !== 'known') return;
    expect(cost.amount).toBeCloseTo(0.97 * 8 * 6_000, 6);
    expect(cost.inputs).toContainEqual({ name: 'organisation downtime cost/hour', value: '50,000 USD', source: 'factory.yaml economics.organisationCostPerHour' });
    expect(cost.inputs).toContainEqual({ name: 'traffic share of search (affected service)', value: '0.12', source: 'catalog annotation on service search' });
  });

  it('is unknown, naming what is missing, when an input is missing: never a default presented as data', () => {
    const cost = avoidedCost({
      ...base,
      advisories: [...base.advisories, { label: 'GHSA-cccc', severityMissing: 'no scorable CVSS vector and no severity label', epssLoaded: true }],
      services: [...base.services, { name: 'ledger', role: 'dependent', via: 'checkout' }, { name: 'ghost', role: 'affected', notInCatalog: true }],
    });
    expect(cost.status).toBe('unknown');
    if (cost.status !== 'unknown') return;
    expect(cost.missing).toEqual([
      'exploit likelihood of GHSA-cccc: no FIRST EPSS score is stored for it and CISA KEV does not list it',
      'severity of GHSA-cccc: no scorable CVSS vector and no severity label',
      'downtime cost per hour of ledger (dependent of checkout): no upgrade-factory.io/downtime-cost-per-hour annotation and no economics.organisationCostPerHour to share by traffic',
      'downtime cost per hour of ghost (affected service): it is not in the catalog',
    ]);
    // What is known is still shown.
    expect(cost.inputs.map((i) => i.name)).toContain('downtime cost/hour of checkout (affected service)');
    expect(JSON.stringify(cost)).not.toContain('amount');
  });

  it('says when no EPSS data is loaded at all', () => {
    const cost = avoidedCost({ ...base, advisories: [{ label: 'CVE-2026-4', severity: { value: 'low', source: 'x' }, epssLoaded: false }] });
    expect(cost.status === 'unknown' && cost.missing[0]).toBe('exploit likelihood of CVE-2026-4: no EPSS data is loaded (intake.epss) and CISA KEV does not list it');
  });

  it('is not applicable to an upgrade that fixes no advisory', () => {
    const cost = avoidedCost({ ...base, advisories: [] });
    expect(cost).toMatchObject({ status: 'not_applicable', reason: expect.stringContaining('fixes no known advisory') });
  });

  it('refuses a currency that is not an ISO code and a floor outside (0, 1]', () => {
    expect(economicsSchema.safeParse({ currency: 'euro' }).success).toBe(false);
    expect(economicsSchema.safeParse({ kevLikelihoodFloor: 0 }).success).toBe(false);
    expect(defaultEconomics.outageHours).toEqual({ critical: 8, high: 4, medium: 2, low: 0.5 });
  });
});

import { describe, expect, it } from 'vitest';
import { defaultRiskPolicy } from '../../config/sections/risk-policy.js';
import type { FixedAdvisory } from '../types.js';
import { readAdvisory } from './advisory.js';

const read = (vectors: string[], extra: Partial<FixedAdvisory> = {}) =>
  readAdvisory({ id: 'GHSA-test', aliases: ['CVE-2024-1234'], cvssVectors: vectors, ...extra }, defaultRiskPolicy);

describe('readAdvisory: SSVC decision points from advisory data', () => {
  it('labels an advisory with its CVE alias', () => {
    expect(read([]).label).toBe('GHSA-test (CVE-2024-1234)');
    expect(readAdvisory({ id: 'GHSA-5crp-9r3c-p9vr', aliases: [], cvssVectors: [] }, defaultRiskPolicy).label).toBe('GHSA-5crp-9r3c-p9vr');
  });

  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', 'yes'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 'no'],
    ['CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'no'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N', 'yes'],
    ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'no'],
  ])('automatable for %s is %s', (vector, expected) => {
    expect(read([vector]).automatable.value).toBe(expected);
  });

  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N', 'total'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:N', 'total'],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:L/A:H', 'partial'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H', 'partial'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N', 'total'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:H/SI:H/SA:H', 'partial'],
  ])('technical impact for %s is %s (CERT/CC CVSS-to-technical-impact rule)', (vector, expected) => {
    expect(read([vector]).technicalImpact.value).toBe(expected);
  });

  it('has no automatable or total impact without any vector', () => {
    const evidence = read([], { severityLabel: 'CRITICAL' });
    expect(evidence).toMatchObject({ automatable: { value: 'no' }, technicalImpact: { value: 'partial' }, severityScore: 9.5 });
  });

  it.each([
    [{ kev: { dateAdded: '2021-12-10', knownRansomware: false } }, [], 'active'],
    [{ epss: { score: 0.12, percentile: 0.5 } }, [], 'public_poc'],
    [{ epss: { score: 0.02, percentile: 0.97 } }, [], 'public_poc'],
    [{ epss: { score: 0.02, percentile: 0.5 } }, [], 'none'],
    [{}, ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A'], 'public_poc'],
    [{}, ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F'], 'public_poc'],
    [{}, ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U'], 'none'],
  ] as const)('exploitation for %j with %j is %s', (extra, vectors, expected) => {
    expect(read([...vectors], extra).exploitation.value).toBe(expected);
  });

  it('keeps the highest base score of several vectors and lists the ones it cannot score', () => {
    const evidence = read(['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:L', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.1/AV:X']);
    expect(evidence.severityScore).toBe(9.8);
    expect(evidence.ignoredVectors).toEqual([{ vector: 'CVSS:3.1/AV:X', problem: expect.stringContaining('invalid value "X" for CVSS 3.1 metric AV') }]);
  });
});

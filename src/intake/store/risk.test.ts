import { describe, expect, it } from 'vitest';
import type { UpgradeCandidate } from '../matching/candidates.js';
import { defaultRiskPolicy, scoreRisk, type RiskInput } from '../../risk/index.js';
import { maxStoredAssessmentChars, storedBody, storedListLimits } from './risk.js';

function body(advisories: number, idLength = 20, aliases = 40) {
  const input: RiskInput = {
    advisories: Array.from({ length: advisories }, (_, i) => ({
      id: `GHSA-${'x'.repeat(idLength)}-${i}`,
      aliases: Array.from({ length: aliases }, (_, j) => `CVE-2099-${i}${j}`),
      cvssVectors: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N'],
      ...(i === advisories - 1 ? { kev: { dateAdded: '2021-12-10', knownRansomware: false } } : {}),
    })),
    services: [{ name: 'api', criticalPaths: [], transitiveDependents: 0 }],
    reversibility: { majorVersionChange: false, breakingChanges: 0, migrationsRequired: 0, deprecations: 0 },
  };
  const candidate: UpgradeCandidate = {
    ecosystem: 'npm',
    name: 'x',
    purl: 'pkg:npm/x',
    currentVersions: ['1.0.0'],
    advisories: input.advisories.map((a) => a.id),
    minimalFix: '1.0.1',
    unfixed: [],
    explanation: 'test',
  };
  return { assessment: scoreRisk(input, defaultRiskPolicy), input, candidate };
}

describe('storedBody', () => {
  it('stores a small assessment whole, with nothing omitted', () => {
    const parsed = JSON.parse(storedBody(body(3, 20, 5)));
    expect(parsed.input.advisories).toHaveLength(3);
    expect(parsed.omitted).toBeUndefined();
  });

  it('cuts long lists to their limits, keeps the KEV-listed advisory, and counts what it left out', () => {
    const full = body(16_000);
    const text = storedBody(full);
    expect(text.length).toBeLessThan(maxStoredAssessmentChars);
    const parsed = JSON.parse(text);
    expect(parsed.input.advisories).toHaveLength(storedListLimits.advisories);
    expect(parsed.input.advisories[0].id).toBe(full.input.advisories.at(-1)!.id);
    expect(parsed.input.advisories[0].aliases).toHaveLength(storedListLimits.aliases);
    expect(parsed.candidate.advisories).toHaveLength(storedListLimits.ids);
    expect(parsed.omitted).toMatchObject({ 'input.advisories': 16_000 - storedListLimits.advisories, 'candidate.advisories': 16_000 - storedListLimits.ids });
    expect(parsed.assessment.score).toBe(full.assessment.score);
  });

  it('drops the per-advisory detail when pathologically long ids would still exceed the bound', () => {
    const text = storedBody(body(200, 50_000));
    expect(text.length).toBeLessThan(maxStoredAssessmentChars);
    expect(JSON.parse(text).omitted).toMatchObject({ 'input.advisories': 200, 'candidate.advisories': 200 });
  });
});

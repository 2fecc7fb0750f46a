import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InventoryComponent } from '../../core/inventory.js';
import { planCandidates } from '../matching/candidates.js';
import { buildAdvisoryIndex } from '../matching/index-advisories.js';
import { matchComponents } from '../matching/match.js';
import { parseOsvText } from '../osv/index.js';
import { parseConfig } from '../../config/load.js';
import { isUfError, type UfError } from '../../core/errors.js';
import { sharedData } from '../../../test/helpers/shared-data.js';
import { groupCandidates } from './release-groups.js';

const osvAdvisories = sharedData('osv/advisories');

function component(ecosystem: string, name: string, version: string): InventoryComponent {
  return { purl: `pkg:x/${name}@${version}`, ecosystem, name, version, direct: true, scope: 'runtime' };
}

describe.skipIf(!osvAdvisories.available)(`release groups over the real advisories${osvAdvisories.skipNote}`, () => {
  const advisories = osvAdvisories.available
    ? readdirSync(osvAdvisories.dir).filter((f) => f.endsWith('.json')).flatMap((f) => parseOsvText(readFileSync(osvAdvisories.path(f), 'utf8'), f))
    : [];
  const index = buildAdvisoryIndex(advisories);
  const plan = (components: InventoryComponent[], target: 'minimal-fix' | 'newest-allowed' = 'minimal-fix') => {
    const candidates = planCandidates(matchComponents(index, components).matches, index, () => [], { allowMajor: false }).filter((c) => c.minimalFix);
    return groupCandidates(candidates, { index, known: () => [], target, configured: [], canonical: (id) => id });
  };

  it('plans the five Spring4Shell packages as one upgrade, each train on one version', () => {
    const units = plan([
      component('Maven', 'org.springframework:spring-beans', '5.3.10'),
      component('Maven', 'org.springframework:spring-webmvc', '5.3.10'),
      component('Maven', 'org.springframework:spring-webflux', '5.3.10'),
      component('Maven', 'org.springframework.boot:spring-boot-starter-web', '2.6.1'),
      component('Maven', 'org.springframework.boot:spring-boot-starter-webflux', '2.6.1'),
    ]);
    expect(units).toHaveLength(1);
    expect(units[0]!.targetVersion).toBe('spring-boot 2.6.6, spring-framework 5.3.20');
    expect(units[0]!.members.map((m) => `${m.candidate.name} ${m.target}`)).toEqual([
      'org.springframework.boot:spring-boot-starter-web 2.6.6',
      'org.springframework.boot:spring-boot-starter-webflux 2.6.6',
      'org.springframework:spring-beans 5.3.20',
      'org.springframework:spring-webflux 5.3.20',
      'org.springframework:spring-webmvc 5.3.20',
    ]);
  });

  it('never bundles different projects one advisory names: lodash and lodash-es, Go and PyPI', () => {
    const units = plan([
      component('npm', 'lodash', '4.17.15'),
      component('npm', 'lodash-es', '4.17.15'),
      component('Go', 'golang.org/x/crypto', '0.16.0'),
      component('PyPI', 'paramiko', '3.3.0'),
    ]);
    expect(units.map((u) => u.members.map((m) => m.candidate.name))).toEqual(units.map((u) => [u.name]));
    expect(units.map((u) => u.name).sort()).toEqual(['golang.org/x/crypto', 'lodash', 'lodash-es', 'paramiko']);
  });

  it('keeps a single package a plain upgrade keyed by its purl', () => {
    const [log4j] = plan([component('Maven', 'org.apache.logging.log4j:log4j-core', '2.14.1')]);
    expect(log4j).toMatchObject({ key: 'pkg:x/org.apache.logging.log4j:log4j-core', name: 'org.apache.logging.log4j:log4j-core', targetVersion: '2.17.0' });
  });
});

describe('intake.releaseGroups in factory.yaml', () => {
  it('reads groups and refuses one with neither packages nor prefixes, naming file, line and key', () => {
    const ok = parseConfig('version: 1\nintake:\n  releaseGroups: [{ name: x, ecosystem: npm, packages: [x-core, x-cli] }]\n', 'factory.yaml');
    expect(ok.intake.releaseGroups).toEqual([{ name: 'x', ecosystem: 'npm', packages: ['x-core', 'x-cli'], prefixes: [] }]);
    let error: unknown;
    try {
      parseConfig('version: 1\nintake:\n  releaseGroups:\n    - { name: x, ecosystem: npm }\n', 'factory.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(isUfError(error)).toBe(true);
    expect((error as UfError).describe()).toMatch(/^factory\.yaml:4: intake\.releaseGroups\[0\]: a release group needs packages or prefixes/);
  });
});

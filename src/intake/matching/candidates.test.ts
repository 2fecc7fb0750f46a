import { describe, expect, it } from 'vitest';
import type { InventoryComponent } from '../../core/inventory.js';
import type { Advisory } from '../osv/types.js';
import { planCandidates } from './candidates.js';
import { buildAdvisoryIndex } from './index-advisories.js';
import { matchComponents } from './match.js';

function advisoryFor(ecosystem: string, name: string, fixed: string): Advisory {
  return {
    id: `GHSA-${ecosystem.toLowerCase()}-test-test`,
    modified: '2024-01-01T00:00:00Z',
    aliases: [],
    related: [],
    upstream: [],
    severity: [],
    affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }], versions: [], severity: [] }],
    references: [],
    cwes: [],
    contentHash: 'h',
  };
}

function newestAllowed(ecosystem: string, name: string, current: string, fixed: string, known: string[]): string | undefined {
  const index = buildAdvisoryIndex([advisoryFor(ecosystem, name, fixed)]);
  const component: InventoryComponent = { purl: `pkg:generic/${name}@${current}`, ecosystem, name, version: current, direct: true, scope: 'runtime' };
  const [candidate] = planCandidates(matchComponents(index, [component]).matches, index, () => known, { allowMajor: false });
  return candidate?.newestAllowed;
}

describe('newest allowed version: majors and pre-releases as the ecosystem defines them', () => {
  it('takes a Debian revision for a release, not a pre-release, and skips a ~ upstream pre-release', () => {
    expect(newestAllowed('Debian:12', 'curl', '7.88.1-10', '7.88.1-10+deb12u5', ['7.88.1-10+deb12u5', '7.88.1-11', '7.89~rc1-1'])).toBe('7.88.1-11');
  });

  it('keeps a Debian upgrade within its epoch: a new epoch restarts the numbering', () => {
    expect(newestAllowed('Debian:12', 'pkg', '1:2.30-1', '1:2.30-2', ['1:2.30-2', '1:2.31-1', '2:0.1-1'])).toBe('1:2.31-1');
  });

  it('takes a PyPI post release and skips pre and dev releases', () => {
    expect(newestAllowed('PyPI', 'django', '4.2.0', '4.2.1', ['4.2.1', '4.2.11.post1', '4.3.0rc1', '4.3.0.dev0', '5.0'])).toBe('4.2.11.post1');
  });

  it('takes a Maven build number after a hyphen for a release and skips snapshots and milestones', () => {
    expect(newestAllowed('Maven', 'org.example:lib', '2.14.1', '2.15.0', ['2.15.0', '2.15.0-1', '2.16.0-M1', '2.16.0-SNAPSHOT', '3.0.0'])).toBe('2.15.0-1');
  });

  it('leaves out Composer dev, alpha, beta and RC versions but not patch releases', () => {
    expect(newestAllowed('Packagist', 'vendor/pkg', '1.0.0', '1.0.1', ['1.0.1', '1.0.1-patch1', '1.1.0-RC1', '1.1.x-dev', '2.0.0'])).toBe('1.0.1-patch1');
  });
});

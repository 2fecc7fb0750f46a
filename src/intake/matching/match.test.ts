import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseInventory } from '../../catalog/inventory/index.js';
import type { InventoryComponent } from '../../core/inventory.js';
import { parseOsvText } from '../osv/index.js';
import type { Advisory } from '../osv/types.js';
import { planCandidates } from './candidates.js';
import { buildAdvisoryIndex } from './index-advisories.js';
import { matchComponents } from './match.js';
import { sharedData } from '../../../test/helpers/shared-data.js';
import { versionSchemeFor } from '../../ecosystems/index.js';

const osvAdvisories = sharedData('osv/advisories');
const sbom = sharedData('sbom');
const demo = resolve(process.cwd(), 'demo-data');

function loadAdvisories(): Advisory[] {
  return readdirSync(osvAdvisories.dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => parseOsvText(readFileSync(osvAdvisories.path(f), 'utf8'), f));
}

function npm(name: string, version: string): InventoryComponent {
  return { purl: `pkg:npm/${name}@${version}`, ecosystem: 'npm', name, version, direct: true, scope: 'runtime' };
}

describe.skipIf(!osvAdvisories.available)(`matching real advisories${osvAdvisories.skipNote}`, () => {
  const advisories = osvAdvisories.available ? loadAdvisories() : [];
  const index = buildAdvisoryIndex(advisories);

  it('loads all 41 real advisories', () => {
    expect(advisories).toHaveLength(41);
    expect(index.size).toBe(41);
  });

  it('finds Log4Shell and its follow-ups in log4j-core 2.14.1, and proposes 2.17.0', () => {
    const inventory = parseInventory(readFileSync(join(demo, 'inventories/search/production.cdx.json'), 'utf8'), 'search.cdx.json');
    const report = matchComponents(index, inventory.components);
    const log4j = report.matches.filter((m) => m.component.name === 'org.apache.logging.log4j:log4j-core');
    expect(log4j.map((m) => m.advisory.id).sort()).toEqual(['GHSA-7rjr-3q55-vv33', 'GHSA-jfh8-c2jp-5v3q', 'GHSA-p6xc-xr62-6r2g']);
    const [candidate] = planCandidates(log4j, index, () => [], { allowMajor: false });
    expect(candidate).toMatchObject({ name: 'org.apache.logging.log4j:log4j-core', currentVersions: ['2.14.1'], minimalFix: '2.17.0', unfixed: [] });
    expect(candidate?.purl).toBe('pkg:maven/org.apache.logging.log4j/log4j-core');
  });

  it.skipIf(!sbom.available)(`matches the juice-shop SBOM exactly as the expected-matches file lists${sbom.skipNote}`, () => {
    const juiceShop = parseInventory(readFileSync(sbom.path('cyclonedx/juice-shop-14.1.1.npm-flat.bom.1.4.json'), 'utf8'), 'juice-shop.json');
    const expected = JSON.parse(readFileSync(sbom.path('expected-juice-shop-npm-matches.json'), 'utf8')) as {
      matches: { purl: string; advisory: string }[];
    };
    const ours = matchComponents(index, juiceShop.components).matches.map((m) => `${m.component.purl} ${m.advisory.id}`);
    const theirs = expected.matches.map((m) => `${m.purl} ${m.advisory}`);
    expect([...new Set(ours)].sort()).toEqual([...new Set(theirs)].sort());
  });

  it('finds the lodash prototype-pollution advisories in an old lodash, and fixes both with 4.17.21', () => {
    const report = matchComponents(index, [npm('lodash', '4.17.15'), npm('lodash', '4.17.21')]);
    expect(report.matches.map((m) => `${m.component.version} ${m.advisory.id}`).sort()).toEqual(['4.17.15 GHSA-35jh-r3h4-6jhm', '4.17.15 GHSA-p6mc-m468-83gw']);
    const [candidate] = planCandidates(report.matches, index, () => ['4.17.16', '4.17.19', '4.17.20', '4.17.21', '5.0.0'], { allowMajor: false });
    expect(candidate).toMatchObject({ minimalFix: '4.17.21', newestAllowed: '4.17.21' });
  });

  it('matches package names as the ecosystem normalises them (GHSA spells the npm package Axios)', () => {
    const report = matchComponents(index, [npm('axios', '1.4.0')]);
    expect(report.matches.map((m) => m.advisory.id).sort()).toEqual(['GHSA-8hc4-vh64-cxmj', 'GHSA-wf5p-g6vw-rhxx']);
  });

  it('reports an advisory with only last_affected as unfixed when no later version is known', () => {
    const report = matchComponents(index, [npm('request', '2.88.2')]);
    expect(report.matches.map((m) => m.advisory.id)).toEqual(['GHSA-p8p7-x288-28g6']);
    const [candidate] = planCandidates(report.matches, index, () => [], { allowMajor: false });
    expect(candidate?.minimalFix).toBeUndefined();
    expect(candidate?.unfixed).toEqual(['GHSA-p8p7-x288-28g6']);
    expect(candidate?.explanation).toContain('no known version above 2.88.2');
  });

  it('evaluates pre-release ranges (express 5.0.0-alpha.1 up to beta.3) and 4-part Maven versions', () => {
    const express = matchComponents(index, [npm('express', '5.0.0-beta.1'), npm('express', '5.0.0')]).matches;
    expect(express.filter((m) => m.advisory.id === 'GHSA-rv95-896h-c2vc').map((m) => m.component.version)).toEqual(['5.0.0-beta.1']);
    const jackson: InventoryComponent = { purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.2.1', ecosystem: 'Maven', name: 'com.fasterxml.jackson.core:jackson-databind', version: '2.13.2.1', direct: true, scope: 'runtime' };
    const ids = matchComponents(index, [jackson, { ...jackson, version: '2.13.2' }]).matches.map((m) => `${m.component.version} ${m.advisory.id}`);
    expect(ids).toContain('2.13.2 GHSA-57j2-w4cx-62h2');
    expect(ids).not.toContain('2.13.2.1 GHSA-57j2-w4cx-62h2');
  });
});

describe('component versions the ecosystem cannot read', () => {
  const advisory: Advisory = {
    id: 'GHSA-test-test-test',
    modified: '2024-01-01T00:00:00Z',
    aliases: [],
    related: [],
    upstream: [],
    severity: [],
    affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }], versions: ['weird-build'], severity: [] }],
    references: [],
    cwes: [],
    contentHash: 'h',
  };
  const index = buildAdvisoryIndex([advisory]);

  it('are reported with how many advisories could not be checked, not silently unaffected', () => {
    const report = matchComponents(index, [npm('x', 'file:../x'), npm('x', 'file:../x'), npm('x', '1.0.0'), npm('y', 'also-weird')]);
    expect(report.unreadable).toEqual([{ ecosystem: 'npm', name: 'x', version: 'file:../x', advisories: 1 }]);
    expect(report.matches.map((m) => m.component.version)).toEqual(['1.0.0']);
  });

  it('still match an exact listed version, and the candidate says no fix can be placed above it', () => {
    const report = matchComponents(index, [npm('x', 'weird-build')]);
    const [candidate] = planCandidates(report.matches, index, () => ['2.0.0'], { allowMajor: false });
    expect(candidate).toMatchObject({ currentVersions: ['weird-build'], unfixed: ['GHSA-test-test-test'] });
    expect(candidate?.minimalFix).toBeUndefined();
    expect(candidate?.explanation).toContain('cannot order that version');
  });

  it('reports a package that cannot be planned through onFailure and plans the others', () => {
    const y: Advisory = { ...advisory, id: 'GHSA-yyyy-yyyy-yyyy', affected: [{ ...advisory.affected[0]!, package: { ecosystem: 'npm', name: 'y' } }] };
    const both = buildAdvisoryIndex([advisory, y]);
    const report = matchComponents(both, [npm('x', '1.6.6'), npm('y', '1.0.0')]);
    const npmScheme = versionSchemeFor('npm')!;
    const compare = npmScheme.compare.bind(npmScheme);
    const spy = vi.spyOn(npmScheme, 'compare').mockImplementation((a, b) => {
      if (a === '1.6.6' || b === '1.6.6') throw new RangeError('boom');
      return compare(a, b);
    });
    try {
      const failures: string[] = [];
      const candidates = planCandidates(report.matches, both, () => [], { allowMajor: false }, { onFailure: (component, error) => failures.push(`${component}: ${(error as Error).message}`) });
      expect(failures).toEqual(['npm:x: boom']);
      expect(candidates.map((c) => c.name)).toEqual(['y']);
    } finally {
      spy.mockRestore();
    }
  });
});

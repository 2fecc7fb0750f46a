/**
 * The npm lockfile fixtures of osv-scalibr, checked against that project's own expectations
 * (transcribed into expected-packages.json): the same packages, versions and dev flags, in any order.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UfError } from '../../../core/errors.js';
import type { ParsedInventory } from '../../../core/inventory.js';
import { parseInventory } from '../index.js';
import { sharedData } from '../../../../test/helpers/shared-data.js';

const lockfiles = sharedData('lockfiles');

interface UpstreamCase {
  case: string;
  fixture: string;
  wantErrContains?: string;
  wantPackages?: { name: string; version: string; depGroups: string[] }[] | null;
}

const cases = (lockfiles.available ? JSON.parse(readFileSync(lockfiles.path('expected-packages.json'), 'utf8')) : []) as UpstreamCase[];

/**
 * Where we decide differently from osv-scalibr, on purpose:
 * - `devOptional` (dev, and also an optional dependency of a production package): npm installs it
 *   with `--omit=dev`, so it is optional for us; osv-scalibr reports it in the dev group.
 * - A package outside node_modules (`deps/etag`, a `file:` folder) is the project's own code, so it
 *   is skipped; osv-scalibr reports it like a registry package.
 */
const deliberateDifferences: Record<string, { notDev?: string[]; skippedInstead?: string[] }> = {
  'optional-package.v2.json': { notDev: ['supports-color@5.5.0'] },
  'files.v2.json': { skippedInstead: ['etag@1.8.0'] },
};

function parseFixture(fixture: string): ParsedInventory {
  return parseInventory(readFileSync(lockfiles.path(fixture), 'utf8'), fixture);
}

describe.skipIf(!lockfiles.available)(`osv-scalibr package-lock expectations${lockfiles.skipNote}`, () => {
  const extracting = cases.filter((c) => Array.isArray(c.wantPackages));

  it('covers every fixture upstream expects packages from', () => {
    expect(extracting.length).toBe(29);
  });

  it.each(extracting.map((c) => [`${c.fixture} (${c.case})`, c] as const))('%s', (_title, upstream) => {
    const inventory = parseFixture(upstream.fixture);
    const differences = deliberateDifferences[upstream.fixture] ?? {};
    const wanted = new Map<string, boolean>();
    const unversioned = new Set<string>();
    for (const { name, version, depGroups } of upstream.wantPackages ?? []) {
      const key = `${name}@${version}`;
      if (version === '' || differences.skippedInstead?.includes(key)) {
        unversioned.add(name);
        continue;
      }
      const dev = depGroups.includes('dev') && !differences.notDev?.includes(key);
      // The same name@version at several paths is one component: dev only if every instance is.
      wanted.set(key, (wanted.get(key) ?? true) && dev);
    }
    const expected = [...wanted].map(([key, dev]) => `${key} ${dev ? 'dev' : 'prod'}`).sort();
    const actual = inventory.components.map((c) => `${c.name}@${c.version} ${c.scope === 'dev' ? 'dev' : 'prod'}`).sort();
    expect(actual).toEqual(expected);
    const skippedNames = new Set(inventory.skipped.map((entry) => entry.record.split('node_modules/').pop()?.split('/').pop()));
    for (const name of unversioned) expect(skippedNames, name).toContain(name.split('/').pop());
  });

  it.each(cases.filter((c) => c.wantErrContains !== undefined).map((c) => [c.fixture, c] as const))(
    '%s is refused with a typed error',
    (fixture) => {
      expect(() => parseFixture(fixture)).toThrow(UfError);
    },
  );

  it('reads both/package-lock.json like its npm-shrinkwrap.json sibling (which file wins is the caller’s rule)', () => {
    const skippedByUpstream = cases.filter((c) => c.wantPackages === null).map((c) => c.fixture);
    expect(skippedByUpstream).toEqual(['both/package-lock.json']);
    expect(parseFixture('both/package-lock.json').components).toEqual(parseFixture('both/npm-shrinkwrap.json').components);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParsedInventory } from '../../../core/inventory.js';
import { importPackageLock } from './index.js';
import { catchUfError } from '../../../../test/helpers/errors.js';
import { sharedData } from '../../../../test/helpers/shared-data.js';

const lockfiles = sharedData('lockfiles');

function importFixture(fixture: string): ParsedInventory {
  const text = readFileSync(lockfiles.path(fixture), 'utf8');
  return importPackageLock(JSON.parse(text), { file: fixture, text });
}

const summary = (inventory: ParsedInventory) =>
  inventory.components.map((c) => `${c.purl} ${c.direct ? 'direct' : 'transitive'} ${c.scope}`);

describe('package-lock v2 / v3', () => {
  it.skipIf(!lockfiles.available)('resolves aliases to the real package and keeps the root’s declarations as direct' + lockfiles.skipNote, () => {
    expect(summary(importFixture('alias.v2.json'))).toEqual([
      'pkg:npm/%40babel/code-frame@7.0.0 direct runtime',
      'pkg:npm/string-width@5.1.2 direct runtime',
      'pkg:npm/string-width@4.2.0 direct runtime',
    ]);
  });

  it.skipIf(!lockfiles.available)('reads v3 with bundled dependencies: dev flags kept, undeclared packages transitive' + lockfiles.skipNote, () => {
    const inventory = importFixture('bundled-dependencies.v3.json');
    expect(inventory).toMatchObject({
      formatVersion: '3',
      subject: { name: 'npm-bundled', version: '1.0.0', purl: 'pkg:npm/npm-bundled@1.0.0' },
    });
    expect(summary(inventory)).toEqual([
      'pkg:npm/ansi-regex@6.2.2 transitive runtime',
      'pkg:npm/semver@7.7.2 direct dev',
      'pkg:npm/strip-ansi@7.1.2 direct runtime',
    ]);
  });

  it('maps dev, optional and devOptional to scopes', () => {
    const inventory = importPackageLock(
      {
        lockfileVersion: 3,
        packages: {
          '': { name: 'svc', version: '2.0.0', dependencies: { a: '1' } },
          'node_modules/a': { version: '1.0.0' },
          'node_modules/b': { version: '1.0.0', dev: true },
          'node_modules/c': { version: '1.0.0', optional: true },
          'node_modules/d': { version: '1.0.0', dev: true, optional: true },
          'node_modules/e': { version: '1.0.0', devOptional: true },
          'node_modules/a/node_modules/@s/f': { version: '1.0.0-rc.1' },
        },
      },
      { file: 'package-lock.json' },
    );
    expect(summary(inventory)).toEqual([
      'pkg:npm/a@1.0.0 direct runtime',
      'pkg:npm/b@1.0.0 transitive dev',
      'pkg:npm/c@1.0.0 transitive optional',
      'pkg:npm/d@1.0.0 transitive dev',
      'pkg:npm/e@1.0.0 transitive optional',
      'pkg:npm/%40s/f@1.0.0-rc.1 transitive runtime',
    ]);
  });

  it('skips workspaces, links and git installs without a version; workspace declarations count as direct', () => {
    const inventory = importPackageLock(
      {
        name: 'mono',
        lockfileVersion: 3,
        packages: {
          '': { name: 'mono', workspaces: ['packages/*'] },
          'packages/api': { name: 'api', version: '1.0.0', dependencies: { lodash: '^4' } },
          'node_modules/api': { resolved: 'packages/api', link: true },
          'node_modules/lodash': { version: '4.17.21' },
          'node_modules/raven-js': { resolved: 'git+ssh://git@github.com/getsentry/raven-js.git#c2b3' },
        },
      },
      { file: 'package-lock.json' },
    );
    expect(summary(inventory)).toEqual(['pkg:npm/lodash@4.17.21 direct runtime']);
    expect(inventory.skipped).toEqual([
      { record: 'packages/api', reason: 'local package (workspace or file: dependency), not from a registry' },
      { record: 'node_modules/api', reason: 'link to a local package, not from a registry' },
      { record: 'node_modules/raven-js', reason: 'no version' },
    ]);
  });

  it('names the key path and line of a wrong value', () => {
    const text = '{\n  "lockfileVersion": 2,\n  "packages": {\n    "node_modules/x": {\n      "version": 7\n    }\n  }\n}\n';
    const error = catchUfError(() => importPackageLock(JSON.parse(text), { file: 'package-lock.json', text }));
    expect(error.code).toBe('import_invalid');
    expect(error.location).toMatchObject({ file: 'package-lock.json', line: 5, path: 'packages["node_modules/x"].version' });
  });
});

describe('package-lock v1', () => {
  it.skipIf(!lockfiles.available)('counts a top-level entry as direct only when no entry’s requires resolves to it' + lockfiles.skipNote, () => {
    expect(summary(importFixture('nested-dependencies.v1.json'))).toEqual([
      'pkg:npm/postcss@6.0.23 direct runtime',
      'pkg:npm/postcss-calc@7.0.1 direct runtime',
      'pkg:npm/postcss@7.0.16 transitive runtime',
      'pkg:npm/supports-color@6.1.0 transitive runtime',
      'pkg:npm/supports-color@5.5.0 transitive runtime',
    ]);
  });

  it.skipIf(!lockfiles.available)('resolves npm: aliases' + lockfiles.skipNote, () => {
    expect(importFixture('alias.v1.json').components.map((c) => `${c.name}@${c.version}`)).toEqual([
      '@babel/code-frame@7.0.0',
      'string-width@5.1.2',
      'string-width@4.2.0',
    ]);
  });

  it.skipIf(!lockfiles.available)('skips git and file: installs, and never repeats their URLs (they can hold tokens)' + lockfiles.skipNote, () => {
    const commits = importFixture('commits.v1.json');
    expect(commits.components.map((c) => c.name)).toEqual(['ansi-styles', 'postcss-calc']);
    expect(commits.skipped).toHaveLength(13);
    expect(commits.skipped).toContainEqual({
      record: 'node_modules/postcss-calc/node_modules/is-number-3',
      reason: 'installed from git; the lockfile has no registry version for it',
    });
    expect(JSON.stringify(commits.skipped)).not.toContain('dummy-token');
    expect(importFixture('files.v1.json').skipped).toEqual([
      { record: 'node_modules/other_package', reason: 'local file: dependency, not from a registry' },
    ]);
  });

  it('refuses a file without lockfileVersion', () => {
    const error = catchUfError(() => importPackageLock({ dependencies: {} }, { file: 'npm-shrinkwrap.json' }));
    expect(error.location).toMatchObject({ file: 'npm-shrinkwrap.json', path: 'lockfileVersion' });
  });
});


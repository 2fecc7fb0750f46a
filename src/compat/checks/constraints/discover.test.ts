import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constraintsRunner, discoverExtensions } from './index.js';
import { component, fixture, request } from './testing.js';

const drupalLock = fixture('drupal-site', 'composer.lock');
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'uf-constraints-discover-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('discoverExtensions', () => {
  it('makes a row of every locked Composer package constraining the component, typed by its Composer type', async () => {
    const found = await discoverExtensions('intranet', [fixture('drupal-site', 'composer.json'), drupalLock], [component('Packagist', 'drupal/core', '11.0.1')]);
    expect(found.problems).toEqual([]);
    expect(found.consumers.map((row) => [row.id, row.kind])).toEqual([
      ['intranet/drupal/core-recommended', 'package'],
      ['intranet/drupal/gin', 'theme'],
      ['intranet/drupal/pathauto', 'module'],
      ['intranet/drupal/token', 'module'],
      ['intranet/drupal/devel', 'module'],
    ]);
    expect(found.consumers[3]).toEqual({ id: 'intranet/drupal/token', kind: 'module', service: 'intranet', name: 'drupal/token', manifests: [drupalLock], source: drupalLock });
  });

  it('leaves out packages that move with the upgrade (a release group)', async () => {
    const group = [component('Packagist', 'drupal/core', '11.0.1'), component('Packagist', 'drupal/core-recommended', '11.0.1')];
    const found = await discoverExtensions('intranet', [drupalLock], group);
    expect(found.consumers.map((row) => row.name)).not.toContain('drupal/core-recommended');
  });

  it('finds gems in GEM and GIT specs, and npm packages with peerDependencies, nested copies included', async () => {
    const gems = await discoverExtensions('shop', [fixture('rails-app', 'Gemfile.lock')], [component('RubyGems', 'railties', '8.0.0')]);
    expect(gems.consumers.map((row) => `${row.kind}:${row.name}`)).toEqual(['gem:audit_trail', 'gem:devise', 'gem:rspec-rails', 'gem:view_component']);
    const npm = await discoverExtensions('shop-web', [fixture('shop-web', 'package-lock.json')], [component('npm', 'react', '19.0.0')]);
    expect(npm.consumers.map((row) => row.name)).toEqual(['@acme/date-picker', 'react-dom', 'react-select', 'use-isomorphic-layout-effect']);
  });

  it('gives rows the runner evaluates as their own package', async () => {
    const found = await discoverExtensions('intranet', [drupalLock], [component('Packagist', 'drupal/core', '11.0.1')]);
    const statuses = await Promise.all(found.consumers.map(async (row) => [row.name, (await constraintsRunner.run(request(row, [component('Packagist', 'drupal/core', '11.0.1')]))).status]));
    expect(Object.fromEntries(statuses)).toEqual({ 'drupal/core-recommended': 'fail', 'drupal/gin': 'pass', 'drupal/pathauto': 'pass', 'drupal/token': 'fail', 'drupal/devel': 'pass' });
  });

  it('reports an unreadable lockfile as a problem naming it, and keeps what the others reveal', async () => {
    const broken = join(await mkdtemp(join(scratch, 'lock-')), 'composer.lock');
    await writeFile(broken, '{"packages": {}}');
    const found = await discoverExtensions('intranet', [broken, drupalLock], [component('Packagist', 'drupal/core', '11.0.1')]);
    expect(found.problems).toEqual([expect.stringContaining(`${broken}: packages:`)]);
    expect(found.consumers).toHaveLength(5);
  });
});

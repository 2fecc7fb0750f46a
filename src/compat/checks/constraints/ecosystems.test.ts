import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constraintsRunner } from './index.js';
import { component, extensionRow, fixture, request, serviceRow } from './testing.js';

const gemLock = fixture('rails-app', 'Gemfile.lock');
const metadata = fixture('python-lib', 'METADATA');
const pom = fixture('orders-service', 'pom.xml');
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'uf-constraints-eco-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function writeScratch(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(scratch, 'case-'));
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

describe('constraints: Gemfile.lock', () => {
  const railties = (target: string) => [component('RubyGems', 'railties', target)];

  it('fails a gem whose comma-separated requirements exclude the target, all of which must hold', async () => {
    const outcome = await constraintsRunner.run(request(extensionRow('shop', 'view_component', 'gem', [gemLock]), railties('8.0.0')));
    expect(outcome).toMatchObject({ status: 'fail', ruleId: 'gem-dependency-excludes-target', summary: 'view_component requires railties >= 6.1, < 8 (Gemfile.lock): 8.0.0 is outside' });
    expect(outcome.findings?.[0]?.location).toBe(`${gemLock}:51`);
    const fits = await constraintsRunner.run(request(extensionRow('shop', 'view_component', 'gem', [gemLock]), railties('7.1.3')));
    expect(fits.status).toBe('pass');
  });

  it('reads GIT sources’ specs too, and a pinned = requirement', async () => {
    const git = await constraintsRunner.run(request(extensionRow('shop', 'audit_trail', 'gem', [gemLock]), railties('7.2.0')));
    expect(git.summary).toBe('audit_trail requires railties >= 6.1, < 7.2 (Gemfile.lock): 7.2.0 is outside');
    const pinned = await constraintsRunner.run(request(extensionRow('shop', 'railties', 'gem', [gemLock]), [component('RubyGems', 'actionpack', '7.0.5')]));
    expect(pinned.summary).toBe('railties requires actionpack = 7.0.4 (Gemfile.lock): 7.0.5 is outside');
  });

  it('treats DEPENDENCIES as the service’s own requirements', async () => {
    const outcome = await constraintsRunner.run(request(serviceRow('shop', [gemLock]), railties('7.1.0')));
    expect(outcome.summary).toBe('Gemfile requires railties ~> 7.0.4 (Gemfile.lock): 7.1.0 is outside');
  });

  it('reads a lockfile without a GEM section as declaring nothing, and refuses text that is no Gemfile.lock', async () => {
    const pathOnly = await writeScratch('Gemfile.lock', 'PLATFORMS\n  ruby\n\nDEPENDENCIES\n  rake\n\nBUNDLED WITH\n   2.4.10\n');
    const empty = await constraintsRunner.run(request(serviceRow('shop', [pathOnly]), railties('8.0.0')));
    expect(empty).toMatchObject({ status: 'pass', summary: 'shop: no constraint on railties declared in Gemfile.lock' });
    const garbage = await writeScratch('Gemfile.lock', '<html><body>502 Bad Gateway</body></html>\n');
    const refused = await constraintsRunner.run(request(serviceRow('shop', [garbage]), railties('8.0.0')));
    expect(refused.status).toBe('error');
    expect(refused.summary).toContain(`${garbage}: no section header`);
    const mangled = await writeScratch('Gemfile.lock', 'GEM\n  remote: https://rubygems.org/\n  specs:\n    rails (7.0.4)\n\trailties (= 7.0.4)\n');
    const badLine = await constraintsRunner.run(request(serviceRow('shop', [mangled]), railties('8.0.0')));
    expect(badLine.summary).toContain(`${mangled}:5: unexpected line`);
  });
});

describe('constraints: core metadata and requirements files', () => {
  const django = (target: string) => [component('PyPI', 'django', target)];

  it('keeps an undecidable marker with the constraint and shows it', async () => {
    const outcome = await constraintsRunner.run(request(serviceRow('auth', [metadata]), django('5.1')));
    expect(outcome).toMatchObject({
      status: 'fail',
      ruleId: 'requires-dist-excludes-target',
      summary: 'djangorestframework-simplejwt requires Django >=4.2,<5.1 when python_version >= "3.10" (METADATA): 5.1 is outside',
    });
    expect(outcome.findings?.[0]?.location).toBe(`${metadata}:9`);
  });

  it('leaves a requirement behind an extra out, as info, and matches names by PEP 503', async () => {
    const outcome = await constraintsRunner.run(request(serviceRow('auth', [metadata]), [component('PyPI', 'django-filter', '24.1')]));
    expect(outcome.status).toBe('pass');
    expect(outcome.findings).toEqual([expect.objectContaining({ ruleId: 'requires-dist-not-applicable', level: 'info' })]);
    expect(outcome.findings?.[0]?.text).toContain('Django_Filter <23 (METADATA) only when extra == "filters"');
  });

  it('reads Requires-Python as a constraint on the python runtime, and ignores the description', async () => {
    const old = await constraintsRunner.run(request(serviceRow('auth', [metadata]), [component('Debian', 'python', '3.7.17')]));
    expect(old).toMatchObject({ status: 'fail', ruleId: 'requires-python-excludes-target' });
    const described = await constraintsRunner.run(request(serviceRow('auth', [metadata]), [component('PyPI', 'this-line-is-description', '1.0')]));
    expect(described.summary).toContain('no constraint on this-line-is-description');
  });

  it('reads requirements files: continuations, hashes, extras and markers; options and URLs skipped', async () => {
    const file = fixture('python-lib', 'requirements.txt');
    const pinned = await constraintsRunner.run(request(serviceRow('auth', [file]), django('4.2.8')));
    expect(pinned).toMatchObject({ status: 'fail', ruleId: 'requirement-excludes-target', summary: 'requirements.txt requires Django ==4.2.7 (requirements.txt): 4.2.8 is outside' });
    const jwt = await constraintsRunner.run(request(serviceRow('auth', [file]), [component('PyPI', 'PyJWT', '2.8.0')]));
    expect(jwt.status).toBe('pass');
    expect(jwt.findings?.[0]?.text).toContain('requires pyjwt >= 2.8 when python_version >= "3.8"');
  });

  it('leaves out a pre-release the specifiers do not name, as pip does', async () => {
    const row = serviceRow('auth', [metadata]);
    const outcome = await constraintsRunner.run(request(row, [component('PyPI', 'djangorestframework', '3.15.0rc1')]));
    expect(outcome).toMatchObject({ status: 'fail', summary: expect.stringContaining('djangorestframework >=3.12 (METADATA): 3.15.0rc1 is outside') });
  });

  it('refuses a file that is not core metadata, naming it', async () => {
    const file = await writeScratch('METADATA', '{"name": "not metadata"}\n');
    const outcome = await constraintsRunner.run(request(serviceRow('auth', [file]), django('5.0')));
    expect(outcome.status).toBe('error');
    expect(outcome.summary).toContain(`${file}: no Metadata-Version or Name field`);
  });
});

describe('constraints: pom.xml', () => {
  const slf4j = (target: string) => [component('Maven', 'org.slf4j:slf4j-api', target)];

  it('resolves a ${property} range and evaluates it with Maven’s range semantics', async () => {
    const inside = await constraintsRunner.run(request(serviceRow('orders', [pom]), slf4j('2.0.9')));
    expect(inside.status, inside.summary).toBe('pass');
    expect(inside.findings).toEqual([expect.objectContaining({ ruleId: 'maven-range-satisfied', location: `${pom}:24` })]);
    const outside = await constraintsRunner.run(request(serviceRow('orders', [pom]), slf4j('2.1.0')));
    expect(outside).toMatchObject({ status: 'fail', summary: 'com.acme:orders-service requires org.slf4j:slf4j-api [1.7.36,2.1) (pom.xml): 2.1.0 is outside' });
  });

  it('reads multiple range sets', async () => {
    const jackson = (target: string) => [component('Maven', 'com.fasterxml.jackson.core:jackson-databind', target)];
    expect((await constraintsRunner.run(request(serviceRow('orders', [pom]), jackson('2.16.1')))).status).toBe('fail');
    expect((await constraintsRunner.run(request(serviceRow('orders', [pom]), jackson('2.17.0')))).status).toBe('pass');
  });

  it('reports a soft version as info, never a failure, and an undefined property as a warning', async () => {
    const soft = await constraintsRunner.run(request(serviceRow('orders', [pom]), [component('Maven', 'org.apache.commons:commons-lang3', '3.14.0')]));
    expect(soft.status).toBe('pass');
    expect(soft.findings).toEqual([expect.objectContaining({ ruleId: 'maven-soft-version', level: 'info' })]);
    const guava = await constraintsRunner.run(request(serviceRow('orders', [pom]), [component('Maven', 'com.google.guava:guava', '33.0.0-jre')]));
    expect(guava.findings).toEqual([expect.objectContaining({ ruleId: 'maven-version-unresolved', level: 'warning' })]);
  });

  it('refuses a file without <project>, naming it', async () => {
    const file = await writeScratch('pom.xml', '<settings><mirrors/></settings>\n');
    const outcome = await constraintsRunner.run(request(serviceRow('orders', [file]), slf4j('2.0.9')));
    expect(outcome).toMatchObject({ status: 'error', summary: expect.stringContaining(`${file}: no <project> element`) });
  });
});

describe('constraints: WordPress headers', () => {
  const readme = fixture('wp-plugin', 'readme.txt');
  const wordpress = (target: string) => [component('Packagist', 'roots/wordpress', target)];

  it('reads Requires at least as a floor and Tested up to as a warning', async () => {
    const newer = await constraintsRunner.run(request(extensionRow('blog', 'acme-seo', 'plugin', [readme]), wordpress('6.5.2')));
    expect(newer.status, newer.summary).toBe('pass');
    expect(newer.summary).toBe('blog/acme-seo: 1 constraint holds for roots/wordpress 6.5.2 (readme.txt); 1 warning');
    expect(newer.findings?.map((finding) => [finding.ruleId, finding.level])).toEqual([
      ['wp-requires-at-least-satisfied', 'info'],
      ['wp-tested-up-to-below-target', 'warning'],
    ]);
    const older = await constraintsRunner.run(request(extensionRow('blog', 'acme-seo', 'plugin', [readme]), wordpress('6.2.4')));
    expect(older).toMatchObject({ status: 'fail', summary: 'Acme SEO requires wordpress >=6.3 (readme.txt): 6.2.4 is outside' });
  });

  it('reads the header comment of a plugin’s main PHP file', async () => {
    const file = await writeScratch(
      'acme-forms.php',
      ['<?php', '/**', ' * Plugin Name:       Acme Forms', ' * Version:           1.4.0', ' * Requires at least: 6.5', ' * Requires PHP:      8.1', ' */', '', "defined( 'ABSPATH' ) || exit;", ''].join('\n'),
    );
    const outcome = await constraintsRunner.run(request(extensionRow('blog', 'acme-forms', 'plugin', [file]), [component('WordPress', 'wordpress', '6.4.3')]));
    expect(outcome).toMatchObject({ status: 'fail', summary: 'Acme Forms requires wordpress >=6.5 (acme-forms.php): 6.4.3 is outside' });
    expect(outcome.findings?.[0]?.location).toBe(`${file}:5`);
    const php = await constraintsRunner.run(request(extensionRow('blog', 'acme-forms', 'plugin', [file]), [component('Debian', 'php', '8.0.30')]));
    expect(php).toMatchObject({ status: 'fail', ruleId: 'require-excludes-target' });
  });

  it('matches a composer require of roots/wordpress when the component is wordpress', async () => {
    const file = await writeScratch('composer.json', JSON.stringify({ name: 'acme/blog', require: { 'roots/wordpress': '^6.4' } }));
    const outcome = await constraintsRunner.run(request(serviceRow('blog', [file]), [component('WordPress', 'wordpress', '7.0')]));
    expect(outcome).toMatchObject({ status: 'fail', summary: 'acme/blog requires roots/wordpress ^6.4 (composer.json): 7.0 is outside' });
  });
});

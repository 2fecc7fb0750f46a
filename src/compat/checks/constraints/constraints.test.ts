import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRunnerContract } from '../check-runner.contract.js';
import { constraintsRunner, createConstraintsRunner, ManifestCache } from './index.js';
import { component, extensionRow, fixture, request, serviceRow } from './testing.js';

const drupalCore = (target: string) => [component('Packagist', 'drupal/core', target)];
const lock = fixture('drupal-site', 'composer.lock');
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'uf-constraints-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

checkRunnerContract('constraints', {
  create: () => constraintsRunner,
  passing: () => request(extensionRow('intranet', 'drupal/token', 'module', [lock]), drupalCore('10.3.1')),
  failing: () => request(extensionRow('intranet', 'drupal/token', 'module', [lock]), drupalCore('11.0.1')),
  broken: async () => {
    const dir = await mkdtemp(join(scratch, 'broken-'));
    const file = join(dir, 'composer.json');
    await writeFile(file, '{ "require": { "drupal/core": "^10" ');
    return { request: request(serviceRow('intranet', [file]), drupalCore('11.0.1')), mentions: file };
  },
});

describe('constraints runner: cells', () => {
  it('fails a Drupal module whose require excludes the target, naming the constraint, the file and why', async () => {
    const outcome = await constraintsRunner.run(request(extensionRow('intranet', 'drupal/token', 'module', [lock]), drupalCore('11.0.1')));
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toBe('drupal/token requires drupal/core ^9.5 || ^10 (composer.lock): 11.0.1 is outside');
    expect(outcome.ruleId).toBe('require-excludes-target');
    expect(outcome.findings).toEqual([expect.objectContaining({ ruleId: 'require-excludes-target', level: 'error', location: `${lock}:43` })]);
  });

  it('admits a pre-release within a Composer caret range, as Composer does (minimum-stability decides installs)', async () => {
    const outcome = await constraintsRunner.run(request(extensionRow('intranet', 'drupal/gin', 'theme', [lock]), drupalCore('11.0.0-rc1')));
    expect(outcome.status, outcome.summary).toBe('pass');
  });

  it('evaluates only the row’s own package in a lockfile', async () => {
    const outcome = await constraintsRunner.run(request(extensionRow('intranet', 'drupal/pathauto', 'module', [lock]), drupalCore('11.0.1')));
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.findings?.map((finding) => finding.ruleId)).toEqual(['require-satisfied']);
    expect(outcome.summary).toBe('intranet/drupal/pathauto: 1 constraint holds for drupal/core 11.0.1 (composer.lock)');
  });

  it('fails when a Composer conflict includes the target, and passes when it does not', async () => {
    const row = extensionRow('intranet', 'drupal/devel', 'module', [lock]);
    const inside = await constraintsRunner.run(request(row, drupalCore('10.2.1')));
    expect(inside.status).toBe('fail');
    expect(inside.ruleId).toBe('conflict-matches-target');
    expect(inside.summary).toContain('drupal/devel conflicts with drupal/core >=10.2.0 <10.2.2 (composer.lock): 10.2.1 is inside');
    const outside = await constraintsRunner.run(request(row, drupalCore('10.2.2')));
    expect(outside.status, outside.summary).toBe('pass');
    expect(outside.findings?.map((finding) => finding.ruleId).sort()).toEqual(['conflict-clear', 'require-satisfied']);
  });

  it('reads a service’s own composer.json require, including the php platform requirement', async () => {
    const row = serviceRow('intranet', [fixture('drupal-site', 'composer.json'), lock]);
    const failing = await constraintsRunner.run(request(row, drupalCore('11.0.1')));
    expect(failing.summary).toBe('acme/intranet requires drupal/core ^10.2 (composer.json): 11.0.1 is outside');
    const php = await constraintsRunner.run(request(row, [component('Debian', 'php', '8.0.30')]));
    expect(php.status).toBe('fail');
    expect(php.summary).toContain('acme/intranet requires php >=8.1 (composer.json): 8.0.30 is outside');
  });

  it('passes with a summary saying so when the manifests declare nothing on the component', async () => {
    const outcome = await constraintsRunner.run(request(extensionRow('intranet', 'symfony/console', 'package', [lock]), drupalCore('11.0.1')));
    expect(outcome).toMatchObject({ status: 'pass', summary: 'intranet/symfony/console: no constraint on drupal/core declared in composer.lock', findings: [] });
  });

  it('is an error naming the lockfile when the row’s package is not locked there', async () => {
    const outcome = await constraintsRunner.run(request(extensionRow('intranet', 'drupal/webform', 'module', [lock]), drupalCore('11.0.1')));
    expect(outcome.status).toBe('error');
    expect(outcome.summary).toContain(lock);
    expect(outcome.summary).toContain('drupal/webform is not locked there');
  });

  it('is an error naming the file when a manifest is missing, or the format is unknown', async () => {
    const missing = join(scratch, 'nowhere', 'composer.json');
    const outcome = await constraintsRunner.run(request(serviceRow('intranet', [missing]), drupalCore('11.0.1')));
    expect(outcome.status).toBe('error');
    expect(outcome.summary).toContain(missing);
    expect(outcome.summary).toContain('ENOENT');
    const unknown = await constraintsRunner.run(request(serviceRow('intranet', [join(scratch, 'build.gradle')]), drupalCore('11.0.1')));
    expect(unknown.summary).toContain('unknown manifest build.gradle: expected one of package.json');
  });

  it('still fails on evidence from readable manifests when another is unreadable, and says which', async () => {
    const missing = join(scratch, 'gone', 'composer.lock');
    const outcome = await constraintsRunner.run(request(serviceRow('intranet', [fixture('drupal-site', 'composer.json'), missing]), drupalCore('11.0.1')));
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toContain(`could not read ${missing}`);
  });

  it('is an error for a row with no manifest', async () => {
    const outcome = await constraintsRunner.run(request(serviceRow('intranet', []), drupalCore('11.0.1')));
    expect(outcome).toMatchObject({ status: 'error', summary: expect.stringContaining('intranet lists no manifest') });
  });

  it('answers an aborted signal with an error giving the reason, without reading', async () => {
    const controller = new AbortController();
    controller.abort(new Error('lease lost'));
    const outcome = await constraintsRunner.run(request(serviceRow('intranet', [join(scratch, 'absent.json')]), drupalCore('11.0.1'), { signal: controller.signal }));
    expect(outcome).toEqual({ status: 'error', summary: 'stopped before the constraints were evaluated: lease lost' });
  });

  it('evaluates every member of a release-group upgrade and counts the failures', async () => {
    const outcome = await constraintsRunner.run(
      request(serviceRow('intranet', [fixture('drupal-site', 'composer.json')]), [component('Packagist', 'drupal/core', '11.0.1'), component('Packagist', 'drupal/core-recommended', '11.0.1')]),
    );
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toMatch(/^acme\/intranet requires drupal\/core \^10\.2 \(composer\.json\): 11\.0\.1 is outside \(\+1 more\)$/);
  });

  it('is an error, not a pass, when a constraint on the component cannot be read', async () => {
    const dir = await mkdtemp(join(scratch, 'bad-range-'));
    const file = join(dir, 'composer.json');
    await writeFile(file, JSON.stringify({ name: 'acme/x', require: { 'drupal/core': '^^10 foo' } }));
    const outcome = await constraintsRunner.run(request(serviceRow('x', [file]), drupalCore('11.0.1')));
    expect(outcome.status).toBe('error');
    expect(outcome.ruleId).toBe('constraint-unreadable');
    expect(outcome.summary).toContain('acme/x requires drupal/core ^^10 foo (composer.json): cannot evaluate');
  });

  it('stops when the signal aborts while the manifests are being read', async () => {
    const controller = new AbortController();
    const pending = constraintsRunner.run(request(serviceRow('intranet', [fixture('drupal-site', 'composer.json'), lock]), drupalCore('11.0.1'), { signal: controller.signal }));
    controller.abort(new Error('worker stopping'));
    expect(await pending).toEqual({ status: 'error', summary: 'stopped before the constraints were evaluated: worker stopping' });
  });
});

describe('ManifestCache', () => {
  it('reads a manifest once while it is unchanged, and again when it changes', async () => {
    const dir = await mkdtemp(join(scratch, 'cache-'));
    const file = join(dir, 'composer.json');
    await writeFile(file, JSON.stringify({ name: 'acme/a', require: { 'drupal/core': '^10' } }));
    const cache = new ManifestCache();
    const first = await cache.read(file);
    expect(await cache.read(file)).toBe(first);
    await writeFile(file, JSON.stringify({ name: 'acme/a', require: { 'drupal/core': '^10 || ^11' } }));
    const runner = createConstraintsRunner(cache);
    expect((await runner.run(request(serviceRow('a', [file]), drupalCore('11.0.1')))).status).toBe('pass');
  });

  it('does not keep a failed read, so a fixed file counts on the next cell', async () => {
    const dir = await mkdtemp(join(scratch, 'cache-fix-'));
    const file = join(dir, 'composer.json');
    await writeFile(file, '{ "name": "acme/b", ');
    const runner = createConstraintsRunner(new ManifestCache());
    expect((await runner.run(request(serviceRow('b', [file]), drupalCore('11.0.1')))).status).toBe('error');
    await writeFile(file, JSON.stringify({ name: 'acme/b', require: { 'drupal/core': '^11' } }));
    expect((await runner.run(request(serviceRow('b', [file]), drupalCore('11.0.1')))).status).toBe('pass');
  });

  it('forgets the oldest reading past its limit', async () => {
    const cache = new ManifestCache(1);
    const first = await cache.read(lock);
    await cache.read(fixture('drupal-site', 'composer.json'));
    expect(await cache.read(lock)).not.toBe(first);
  });
});

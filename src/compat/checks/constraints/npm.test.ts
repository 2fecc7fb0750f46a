import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constraintsRunner } from './index.js';
import { component, extensionRow, fixture, request, serviceRow } from './testing.js';

const react = (target: string) => [component('npm', 'react', target)];
const picker = fixture('date-picker', 'package.json');
const shopLock = fixture('shop-web', 'package-lock.json');
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'uf-constraints-npm-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('constraints: npm', () => {
  it('passes a library whose peerDependencies admit the target', async () => {
    const outcome = await constraintsRunner.run(request(serviceRow('date-picker', [picker]), react('18.3.1')));
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.findings).toEqual([{ ruleId: 'peer-range-satisfied', level: 'info', text: '@acme/date-picker requires react ^17 || ^18 (package.json): 18.3.1 is inside', location: `${picker}:7` }]);
  });

  it('fails on the next major, naming the peer range', async () => {
    const outcome = await constraintsRunner.run(request(serviceRow('date-picker', [picker]), react('19.0.0')));
    expect(outcome).toMatchObject({ status: 'fail', ruleId: 'peer-range-excludes-target', summary: '@acme/date-picker requires react ^17 || ^18 (package.json): 19.0.0 is outside' });
  });

  it('leaves out a pre-release the range does not name, as npm does', async () => {
    const outcome = await constraintsRunner.run(request(serviceRow('date-picker', [picker]), react('18.3.0-canary-1')));
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toContain('18.3.0-canary-1 is outside');
  });

  it('reads engines for a runtime upgrade, whatever ecosystem the runtime is filed under', async () => {
    const old = await constraintsRunner.run(request(serviceRow('date-picker', [picker]), [component('Debian', 'node', '16.20.2')]));
    expect(old).toMatchObject({ status: 'fail', ruleId: 'engine-range-excludes-target', summary: '@acme/date-picker requires node >=18 (package.json): 16.20.2 is outside' });
    const current = await constraintsRunner.run(request(serviceRow('date-picker', [picker]), [component('npm', 'node', '22.11.0')]));
    expect(current.status).toBe('pass');
  });

  it('does not take another ecosystem’s package of the same name for the component', async () => {
    const outcome = await constraintsRunner.run(request(serviceRow('date-picker', [picker]), [component('PyPI', 'react', '99.0')]));
    expect(outcome.summary).toBe('date-picker: no constraint on react declared in package.json');
  });

  it('reads a service’s dependencies, and says a workspace: spec is not a range', async () => {
    const row = serviceRow('shop-web', [fixture('shop-web', 'package.json'), shopLock]);
    const outcome = await constraintsRunner.run(request(row, react('19.0.0')));
    expect(outcome).toMatchObject({ status: 'fail', ruleId: 'dependency-range-excludes-target' });
    expect(outcome.findings).toHaveLength(1); // the lock's root entry repeats package.json: said once
    const workspace = await constraintsRunner.run(request(row, [component('npm', 'shared-ui', '2.0.0')]));
    expect(workspace.status).toBe('pass');
    expect(workspace.findings?.map((finding) => finding.ruleId)).toEqual(['constraint-not-a-range']);
    expect(workspace.summary).toContain('(1 not binding: see findings)');
  });

  it('evaluates an extension row against every locked copy’s peerDependencies in package-lock.json', async () => {
    const outcome = await constraintsRunner.run(request(extensionRow('shop-web', 'react-dom', 'package', [shopLock]), react('18.1.0')));
    expect(outcome).toMatchObject({ status: 'fail', summary: 'react-dom requires react ^18.2.0 (package-lock.json): 18.1.0 is outside' });
    expect(outcome.findings?.[0]?.location).toMatch(/package-lock\.json:\d+$/);
  });

  it('reads the installed version’s peers and engines from a packument', async () => {
    const row = extensionRow('shop-web', '@acme/date-picker', 'package', [shopLock]);
    const outcome = await constraintsRunner.run(request(row, [component('npm', 'node', '16.0.0')], { packuments: ['date-picker/packument.json'] }));
    expect(outcome.status).toBe('fail');
    const fromPackument = outcome.findings?.filter((finding) => finding.location?.endsWith('packument.json'));
    expect(fromPackument).toEqual([expect.objectContaining({ ruleId: 'engine-range-excludes-target', text: '@acme/date-picker@3.2.0 requires node >=18 (packument.json): 16.0.0 is outside' })]);
  });

  it('warns when the installed version is not in the packument, and errors naming an unreadable one', async () => {
    const dir = await mkdtemp(join(scratch, 'packument-'));
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: '@acme/date-picker', version: '9.9.9', peerDependencies: { react: '>=17' } }));
    await writeFile(join(dir, 'broken.json'), '{"name": "x", "versions": [');
    const row = serviceRow('date-picker', [join(dir, 'package.json')]);
    const missing = await constraintsRunner.run(request(row, react('19.0.0'), { packuments: [fixture('date-picker', 'packument.json')] }));
    expect(missing.status).toBe('pass');
    expect(missing.findings).toContainEqual(expect.objectContaining({ ruleId: 'packument-version-missing', level: 'warning', text: '@acme/date-picker@9.9.9 is not in the packument' }));
    const broken = await constraintsRunner.run(request(row, react('19.0.0'), { packuments: ['broken.json'], baseDir: dir }));
    expect(broken.status).toBe('error');
    expect(broken.summary).toContain(join(dir, 'broken.json'));
  });

  it('names the file and the field for malformed JSON and misshapen sections', async () => {
    const dir = await mkdtemp(join(scratch, 'bad-'));
    const truncated = join(dir, 'package.json');
    await writeFile(truncated, '{"name": "x", "peerDependencies": {"react": "^18"');
    const first = await constraintsRunner.run(request(serviceRow('x', [truncated]), react('18.0.0')));
    expect(first.status).toBe('error');
    expect(first.summary).toMatch(new RegExp(`${truncated.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:\\d+: invalid JSON: .*: expected a package\\.json object`));
    await mkdtemp(join(dir, 'sub-')).then(async (sub) => {
      const wrongShape = join(sub, 'package.json');
      await writeFile(wrongShape, JSON.stringify({ name: 'x', peerDependencies: ['react'] }));
      const second = await constraintsRunner.run(request(serviceRow('x', [wrongShape]), react('18.0.0')));
      expect(second.summary).toContain(`${wrongShape}: peerDependencies:`);
    });
    const v1 = join(dir, 'package-lock.json');
    await writeFile(v1, JSON.stringify({ name: 'x', lockfileVersion: 1, dependencies: {} }));
    const third = await constraintsRunner.run(request(serviceRow('x', [v1]), react('18.0.0')));
    expect(third.summary).toContain('lockfileVersion 1 without "packages"');
  });
});

import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUf } from './helpers/cli.js';

const demo = resolve('demo-data');
const inventory = join(demo, 'inventories/search/production.cdx.json');

/** `uf scan` as CI runs it: exit codes, formats and --fail-on, through the built binary. */
describe('uf scan exit codes and formats', () => {
  let dir: string;
  const uf = (...args: string[]) => runUf(args, { cwd: dir });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-cli-scan-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 and lists the invalid files when 6 of 9 advisory files are invalid, even with nothing found', async () => {
    const folder = join(dir, 'partly-broken');
    mkdirSync(folder);
    for (const file of ['GHSA-35jh-r3h4-6jhm.json', 'GHSA-27h2-hvpr-p74q.json', 'GHSA-34jh-p97f-mpxf.json']) copyFileSync(join(demo, 'advisories', file), join(folder, file));
    for (let i = 0; i < 6; i++) writeFileSync(join(folder, `bad-${i}.json`), '{"id": ');
    writeFileSync(join(dir, 'clean.json'), JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.4', components: [{ type: 'library', name: 'lodash', version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21' }] }));
    const table = await uf('scan', '--inventory', join(dir, 'clean.json'), '--advisories', folder);
    expect(table.code).toBe(2);
    expect(table.stdout).not.toMatch(/^no known vulnerabilities$/m);
    for (let i = 0; i < 6; i++) expect(table.stderr).toContain(`bad-${i}.json`);
    expect(table.stderr).toContain('uf: incomplete: 6 advisory inputs could not be read');
    const json = await uf('scan', '--inventory', join(dir, 'clean.json'), '--advisories', folder, '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ complete: false, status: 'incomplete', exitCode: 2 });
  }, 120_000);

  it('exits 2 for a missing advisories folder and 1 only when affected', async () => {
    const missing = await uf('scan', '--inventory', inventory, '--advisories', join(dir, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read advisories');
    expect((await uf('scan', '--inventory', inventory, '--advisories', join(demo, 'advisories'))).code).toBe(1);
  }, 120_000);

  it('--format sarif, markdown and json; --json stays an alias; --fail-on gates', async () => {
    const sarif = await uf('scan', '--inventory', inventory, '--advisories', join(demo, 'advisories'), '--format', 'sarif');
    expect(sarif.code).toBe(1);
    expect(JSON.parse(sarif.stdout)).toMatchObject({ version: '2.1.0', runs: [{ tool: { driver: { name: 'uf' } } }] });
    const md = await uf('scan', '--inventory', inventory, '--advisories', join(demo, 'advisories'), '--format', 'markdown');
    expect(md.stdout).toContain('log4j-core | 2.14.1 | [GHSA-jfh8-c2jp-5v3q]');
    const json = await uf('scan', '--inventory', inventory, '--advisories', join(demo, 'advisories'), '--format', 'json');
    const alias = await uf('scan', '--inventory', inventory, '--advisories', join(demo, 'advisories'), '--json');
    expect(alias.stdout).toBe(json.stdout);
    expect((await uf('scan', '--inventory', inventory, '--advisories', join(demo, 'advisories'), '--fail-on', 'act')).code).toBe(0);
    expect((await uf('scan', '--inventory', inventory, '--advisories', join(demo, 'advisories'), '--fail-on', 'critical')).code).toBe(1);
    const bad = await uf('scan', '--inventory', inventory, '--advisories', join(demo, 'advisories'), '--fail-on', 'urgent');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--fail-on takes');
    expect((await uf('scan', '--inventory', inventory, '--advisories', join(demo, 'advisories'), '--format', 'xml')).code).toBe(2);
  }, 180_000);
});

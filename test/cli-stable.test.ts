import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUf, ufBin } from './helpers/cli.js';
import { sharedData } from './helpers/shared-data.js';

const demo = resolve('demo-data');
const sbom = sharedData('sbom');
const osvAdvisories = sharedData('osv/advisories');

/** The utility commands whose input and output DESIGN.md declares stable. */
describe('stable utility commands', { timeout: 120_000 }, () => {
  let dir: string;
  const uf = (...args: string[]) => runUf(args, { cwd: dir });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-stable-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uf versions compare prints <, = or > per ecosystem', async () => {
    expect((await uf('versions', 'compare', '--ecosystem', 'npm', '1.2.3-rc.1', '1.2.3')).stdout).toBe('<\n');
    expect((await uf('versions', 'compare', '--ecosystem', 'PyPI', '1.0.post1', '1.0')).stdout).toBe('>\n');
    expect((await uf('versions', 'compare', '--ecosystem', 'Maven', '1.0-ga', '1.0')).stdout).toBe('=\n');
    expect((await uf('versions', 'compare', '--ecosystem', 'Debian', '1.0~rc1', '1.0')).stdout).toBe('<\n');
    const unknown = await uf('versions', 'compare', '--ecosystem', 'Cobol', '1', '2');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown ecosystem "Cobol"');
  });

  it('uf versions compare --stdin answers one line per pair and exits 2 naming a bad line', () => {
    const good = spawnSync(process.execPath, [ufBin, 'versions', 'compare', '--ecosystem', 'RubyGems', '--stdin'], { input: '1.0.0.a\t1.0.0\n2.0\t2.0.0\n3.1\t3.0.9\n', encoding: 'utf8' });
    expect(good.status).toBe(0);
    expect(good.stdout).toBe('<\n=\n>\n');
    const bad = spawnSync(process.execPath, [ufBin, 'versions', 'compare', '--ecosystem', 'npm', '--stdin'], { input: '1.0.0\t2.0.0\nnot a pair\n', encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('<\n');
    expect(bad.stderr).toContain('line 2:');
  });

  it('uf cvss prints version, base score and severity, or exits 2 naming the bad metric', async () => {
    expect((await uf('cvss', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H')).stdout).toBe('CVSS 3.1 base 10.0 CRITICAL\n');
    const v4 = JSON.parse((await uf('cvss', '--json', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).stdout);
    expect(v4).toMatchObject({ version: '4.0', baseScore: 9.3, severity: 'CRITICAL' });
    const bad = await uf('cvss', 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('AV');
  });

  it('uf scan finds Log4Shell in a log4j-core 2.14.1 inventory, offline, and exits 1', async () => {
    const result = await uf('scan', '--inventory', join(demo, 'inventories/search/production.cdx.json'), '--advisories', join(demo, 'advisories'), '--json');
    expect(result.code).toBe(1);
    const scan = JSON.parse(result.stdout);
    expect(scan.findings.filter((f: { name: string }) => f.name.endsWith('log4j-core')).map((f: { advisory: string }) => f.advisory)).toEqual([
      'GHSA-7rjr-3q55-vv33',
      'GHSA-jfh8-c2jp-5v3q',
      'GHSA-p6xc-xr62-6r2g',
    ]);
    expect(scan.fixes).toContainEqual(expect.objectContaining({ component: 'Maven:org.apache.logging.log4j:log4j-core', minimalFix: '2.17.0' }));
    expect(scan.findings.find((f: { advisory: string }) => f.advisory === 'GHSA-jfh8-c2jp-5v3q').severity).toMatchObject({ score: 10, label: 'CRITICAL' });
  });

  it('uf scan exits 0 on a clean inventory and 2 on a malformed one', async () => {
    writeFileSync(join(dir, 'clean.json'), JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.4', components: [{ type: 'library', name: 'lodash', version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21' }] }));
    const clean = await uf('scan', '--inventory', join(dir, 'clean.json'), '--advisories', join(demo, 'advisories'));
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('no known vulnerabilities');
    writeFileSync(join(dir, 'broken.json'), '{"bomFormat": "CycloneDX",');
    const broken = await uf('scan', '--inventory', join(dir, 'broken.json'), '--advisories', join(demo, 'advisories'));
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json:1:\d+: invalid JSON/);
  });

  it.skipIf(!sbom.available || !osvAdvisories.available)(`uf scan reads a real SBOM against the real advisories from the shared data${sbom.skipNote || osvAdvisories.skipNote}`, async () => {
    const juice = await uf('scan', '--inventory', sbom.path('cyclonedx/juice-shop-14.1.1.npm-flat.bom.1.4.json'), '--advisories', osvAdvisories.dir, '--json');
    const ids = new Set(JSON.parse(juice.stdout).findings.map((f: { advisory: string }) => f.advisory));
    expect(ids).toContain('GHSA-xvch-5gv4-984h'); // minimist 0.2.3
    expect(ids).toContain('GHSA-c2qf-rxjj-qqgw'); // semver
  });
});

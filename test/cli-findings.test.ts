import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUf } from './helpers/cli.js';

const demo = resolve('demo-data');

/** `uf findings` and `uf vex` through the built binary, on a small SQLite workspace. */
describe('uf findings and uf vex', () => {
  let dir: string;
  const uf = (...args: string[]) => runUf(args, { cwd: dir });
  const future = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-cli-findings-'));
    cpSync(join(demo, 'advisories'), join(dir, 'advisories'), { recursive: true });
    writeFileSync(join(dir, 'factory.yaml'), 'version: 1\ncatalog: [catalog.yaml]\nintake:\n  advisories: [advisories]\n');
    writeFileSync(join(dir, 'catalog.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: search\nspec: { type: service, lifecycle: production, owner: group:search }\n');
    cpSync(join(demo, 'inventories/search/production.cdx.json'), join(dir, 'search.cdx.json'));
    for (const args of [['catalog', 'import'], ['inventory', 'import', 'search.cdx.json', '--service', 'search', '--environment', 'production'], ['intake', 'run']]) {
      const result = await uf(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists and filters findings, accepts one with reason, owner and expiry, and shows it', async () => {
    const all = JSON.parse((await uf('findings', 'list', '--json')).stdout) as { id: string; advisoryId: string; state: string }[];
    expect(all.length).toBeGreaterThan(0);
    const log4shell = JSON.parse((await uf('findings', 'list', '--advisory', 'CVE-2021-44228', '--severity', 'critical', '--json')).stdout) as { id: string; advisoryId: string }[];
    expect(log4shell.map((f) => f.advisoryId)).toEqual(['GHSA-jfh8-c2jp-5v3q']);
    expect((await uf('findings', 'list', '--status', 'closed')).code).toBe(2);
    const missingOwner = await uf('findings', 'accept', log4shell[0]!.id, '--reason', 'r', '--expires', future);
    expect(missingOwner.code).toBe(2);
    const accepted = await uf('findings', 'accept', log4shell[0]!.id, '--reason', 'lookups disabled', '--owner', 'team-search', '--expires', future);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect((await uf('findings', 'list', '--status', 'accepted')).stdout).toContain(`accepted until ${future}`);
    const show = await uf('findings', 'show', log4shell[0]!.id);
    expect(show.stdout).toContain('owner team-search');
    expect(show.stdout).toContain('finding.accept');
    expect((await uf('findings', 'show', 'fnd_nope')).code).toBe(1);
  }, 180_000);

  it('uf vex import closes a finding, names refused statements and exits 2 for them', async () => {
    writeFileSync(
      join(dir, 'search.vex.json'),
      JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        statements: [
          { vulnerability: { name: 'CVE-2021-45046' }, products: [{ '@id': 'pkg:maven/org.apache.logging.log4j/log4j-core' }], status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' },
          { vulnerability: { name: 'CVE-2021-45105' }, products: [{ '@id': 'pkg:maven/org.apache.logging.log4j/log4j-core' }], status: 'not_affected' },
        ],
      }),
    );
    const result = await uf('vex', 'import', 'search.vex.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('statements[1]: CVE-2021-45105: refused: not_affected without a justification');
    expect(result.stdout).toContain('1 findings closed');
    const closed = JSON.parse((await uf('findings', 'list', '--status', 'not_affected', '--json')).stdout) as { advisory: { aliases: string[] } }[];
    expect(closed.map((f) => f.advisory.aliases)).toEqual([expect.arrayContaining(['CVE-2021-45046'])]);
    expect((await uf('vex', 'import', 'nope.json')).code).toBe(2);
  }, 180_000);

  it('uf intake run exits 2 when some advisory file could not be read (it exited 0)', async () => {
    writeFileSync(join(dir, 'advisories', 'broken.json'), '{"id": ');
    const result = await uf('intake', 'run');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('broken.json');
    expect(result.stderr).toContain('uf: intake incomplete: 1 source could not be read in full');
  }, 120_000);
});

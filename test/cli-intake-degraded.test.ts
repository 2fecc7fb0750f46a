import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUf } from './helpers/cli.js';

// The built binary: `uf intake run` must not exit 0 when a feed broke and its data was kept.
describe('uf intake run on a broken feed', () => {
  let dir: string;
  const uf = (...args: string[]) => runUf(args, { cwd: dir });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-cli-degraded-'));
    cpSync(join(process.cwd(), 'demo-data', 'kev', 'known_exploited_vulnerabilities.json'), join(dir, 'kev.json'));
    writeFileSync(join(dir, 'factory.yaml'), 'version: 1\nintake:\n  kev: kev.json\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 on a healthy run, then 2 naming KEV when its entries lost dateAdded, also on an unchanged re-run', async () => {
    const healthy = await uf('intake', 'run');
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toContain('KEV 1404 entries');

    const kev = JSON.parse(readFileSync(join(dir, 'kev.json'), 'utf8')) as { vulnerabilities: Record<string, unknown>[] };
    for (const entry of kev.vulnerabilities) {
      entry['date_added'] = entry['dateAdded'];
      delete entry['dateAdded'];
    }
    writeFileSync(join(dir, 'kev.json'), JSON.stringify(kev));
    const broken = await uf('intake', 'run');
    expect(broken.code).toBe(2);
    // The first problem line (after progress lines) names the failed source.
    expect(broken.stderr.split('\n').find((line) => line.startsWith('uf:'))).toBe('uf: skipped: kev.json: source failed, what it stored before is kept: it yielded no valid entries (1404 invalid)');
    const json = JSON.parse((await uf('intake', 'run', '--json')).stdout);
    expect(json).toMatchObject({ status: 'unchanged', degraded: true, failedSources: [{ source: 'kev.json', kind: 'kev', status: 'failed' }] });
    expect((await uf('intake', 'run')).code).toBe(2);
  }, 120_000);
});

import { scanAdapters } from '../../app/adapters.js';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UfError } from '../../core/errors.js';
import { parseFailOn } from './fail-on.js';
import { scanInventory } from './index.js';
import { scanVerdict } from './verdict.js';

const demo = resolve('demo-data');
const log4shellInventory = join(demo, 'inventories/search/production.cdx.json');
const log4jAdvisories = ['GHSA-jfh8-c2jp-5v3q.json', 'GHSA-7rjr-3q55-vv33.json', 'GHSA-p6xc-xr62-6r2g.json'];

describe('uf scan verdicts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-scan-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** 9 advisory files, 6 of them invalid: the defect was exit 0 with "no known vulnerabilities". */
  function partlyBrokenFolder(name: string, good: string[]): string {
    const folder = join(dir, name);
    mkdirSync(folder);
    for (const file of good) copyFileSync(join(demo, 'advisories', file), join(folder, file));
    for (let i = 0; i < 9 - good.length; i++) writeFileSync(join(folder, `broken-${i}.json`), i % 2 === 0 ? '{"id": "GHSA-xxxx",' : '{"schema_version": "1.6.0"}');
    return folder;
  }

  it('a scan built from partly unreadable advisories lists them and exits 2, not 0', async () => {
    const clean = join(dir, 'clean.json');
    writeFileSync(clean, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.4', components: [{ type: 'library', name: 'lodash', version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21' }] }));
    const result = await scanInventory(scanAdapters, clean, partlyBrokenFolder('nothing-found', ['GHSA-35jh-r3h4-6jhm.json', 'GHSA-27h2-hvpr-p74q.json', 'GHSA-34jh-p97f-mpxf.json']));
    expect(result.findings).toEqual([]);
    expect(result.complete).toBe(false);
    expect(result.advisories.unreadable).toHaveLength(6);
    expect(result.advisories.unreadable.map((p) => p.file?.replace(/.*\//, ''))).toEqual(['broken-0.json', 'broken-1.json', 'broken-2.json', 'broken-3.json', 'broken-4.json', 'broken-5.json']);
    expect(scanVerdict(result, parseFailOn(undefined))).toMatchObject({ exitCode: 2, status: 'incomplete' });
  });

  it('findings from partly unreadable input still exit 2: incomplete wins over affected', async () => {
    const result = await scanInventory(scanAdapters, log4shellInventory, partlyBrokenFolder('found', log4jAdvisories));
    expect(result.findings.length).toBeGreaterThan(0);
    const verdict = scanVerdict(result, parseFailOn(undefined));
    expect(verdict).toMatchObject({ exitCode: 2, status: 'incomplete' });
    expect(verdict.tripped).toBe(result.findings.length);
  });

  it('a missing advisories folder is bad input (exit 2), not "affected" (exit 1)', async () => {
    const error = await scanInventory(scanAdapters, log4shellInventory, join(dir, 'no-such-folder')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UfError);
    expect((error as UfError).exitCode).toBe(2);
    expect((error as UfError).describe()).toContain('no-such-folder');
  });

  it('a complete scan exits 1 only for findings, 0 when clean', async () => {
    const result = await scanInventory(scanAdapters, log4shellInventory, join(demo, 'advisories'));
    expect(result.complete).toBe(true);
    expect(scanVerdict(result, parseFailOn(undefined)).exitCode).toBe(1);
    expect(scanVerdict({ ...result, findings: [] }, parseFailOn(undefined))).toMatchObject({ exitCode: 0, status: 'clean' });
  });

  it('--fail-on a severity or an SSVC decision: exit 1 only at or above it', async () => {
    const result = await scanInventory(scanAdapters, log4shellInventory, join(demo, 'advisories'));
    const log4shell = result.findings.find((f) => f.advisory === 'GHSA-jfh8-c2jp-5v3q')!;
    expect(log4shell.severity.level).toBe('critical');
    expect(scanVerdict(result, parseFailOn('critical')).exitCode).toBe(1);
    const onlyMedium = { ...result, findings: [{ ...log4shell, severity: { label: 'MODERATE', level: 'medium' as const } }] };
    expect(scanVerdict(onlyMedium, parseFailOn('high'))).toMatchObject({ exitCode: 0, tripped: 0 });
    expect(scanVerdict(onlyMedium, parseFailOn('medium')).exitCode).toBe(1);
    // Unknown severity fails closed: nothing shows it is below the line.
    expect(scanVerdict({ ...result, findings: [{ ...log4shell, severity: {} }] }, parseFailOn('critical')).exitCode).toBe(1);
    // Offline without KEV nothing is exploited `active`, so nothing reaches `act`; `track` takes all.
    expect(scanVerdict(result, parseFailOn('act')).exitCode).toBe(0);
    expect(scanVerdict(result, parseFailOn('track')).exitCode).toBe(1);
    expect(() => parseFailOn('severe')).toThrow(/--fail-on takes/);
  });

  it('with --kev, Log4Shell is exploited in the wild and reaches act', async () => {
    const result = await scanInventory(scanAdapters, log4shellInventory, join(demo, 'advisories'), { kev: join(demo, 'kev', 'known_exploited_vulnerabilities.json'), mission: 'high' });
    const log4shell = result.findings.find((f) => f.advisory === 'GHSA-jfh8-c2jp-5v3q')!;
    expect(log4shell.ssvc.decision).toBe('act');
    expect(scanVerdict(result, parseFailOn('act')).exitCode).toBe(1);
  });
});

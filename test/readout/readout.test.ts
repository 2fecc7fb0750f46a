import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { buildReadout, readoutContext, readoutText } from '../../src/app/readout.js';
import { createToken } from '../../src/store/repos/tokens.js';
import { runUf } from '../helpers/cli.js';
import { findBrowser, renderPdf } from '../../src/readout/render/pdf.js';
import type { ReadoutSources } from '../../src/readout/sources.js';
import type { UpgradeReadout } from '../../src/readout/types.js';
import { completeUpgrade, seedEstate, type SeededEstate } from './seed.js';

const headings = ['## What changed', '## Why now', '## What risk reduced', '## What business metric improved'];

describe('executive readout of an upgrade that went through intake, risk and rollout', () => {
  let estate: SeededEstate;
  let readout: UpgradeReadout;

  beforeAll(async () => {
    estate = await seedEstate();
    await completeUpgrade(estate);
    readout = (await buildReadout(readoutContext(estate), { upgradeId: estate.upgradeId })) as UpgradeReadout;
  }, 120_000);
  afterAll(async () => {
    await estate?.store.close();
    if (estate) rmSync(estate.dir, { recursive: true, force: true });
  });

  it('shows the four sections with the figures from the store', async () => {
    const md = readoutText(readout, 'md');
    for (const heading of headings) expect(md).toContain(`\n${heading}\n`);
    // What changed: the versions and the service.
    expect(md).toMatch(/\| jsonwebtoken \| 0\.4\.0 \| 9\.0\.0 \|/);
    expect(md).toContain('Services: shop.');
    // Why now: the KEV listing and the EPSS scores intake stored.
    expect(md).toContain('listed since 2026-11-01');
    expect(md).toContain('0.31 (percentile 0.97)');
    // What risk reduced: before, after, and the avoided cost with every input and its source.
    const before = readout.riskReduced.before!.score;
    expect(md).toContain(`Risk score before: ${before}/100`);
    expect(readout.riskReduced.after).toBeDefined();
    expect(readout.riskReduced.after!.score).toBeLessThan(before);
    expect(md).toContain(`Risk score after: ${readout.riskReduced.after!.score}/100`);
    expect(readout.riskReduced.findings.open).toBe(0);
    expect(readout.riskReduced.findings.total).toBeGreaterThan(0);
    const cost = readout.riskReduced.avoidedCost;
    expect(cost.status).toBe('known');
    // KEV-listed CVE-2022-23529: max(EPSS 0.31, KEV floor 0.5) = 0.5; shop 12,000 + web (depends on shop) 3,000 per hour.
    expect(md).toContain('| EPSS of GHSA-27h2-hvpr-p74q (CVE-2022-23529) | 0.31 | FIRST EPSS 2026-11-30 |');
    expect(md).toContain('| KEV likelihood floor | 0.5 | factory.yaml economics.kevLikelihoodFloor |');
    expect(md).toMatch(/\| downtime cost\/hour of shop \(affected service\) \| 12,000 EUR \| catalog annotation on service shop/);
    expect(md).toMatch(/\| downtime cost\/hour of web \(dependent of shop\) \| 3,000 EUR \| catalog annotation on service web/);
    // What business metric improved: no verification compared anything for this upgrade, and it says so.
    expect(md).toContain('Not known: KPI, SLO, latency and efficiency deltas: no before/after baseline comparison is recorded for this upgrade');
    // Incidents come from the store (none recorded in this estate); a context without the source says so.
    expect(md).toMatch(/\| shop \| 0 \| 0 \| incidents in the store/);
    const unwired = readoutText(await buildReadout(readoutContext(estate, {}), { upgradeId: estate.upgradeId }), 'md');
    expect(unwired).toContain('Not known: incidents before and after: no incident source is wired');
  });

  it('computes the avoided cost from the documented model', () => {
    const cost = readout.riskReduced.avoidedCost;
    expect(cost.status).toBe('known');
    if (cost.status !== 'known') return;
    const severity = readout.whyNow.advisories.find((a) => a.label.includes('CVE-2022-23529'))!.severity;
    expect(severity).toMatch(/CRITICAL|HIGH/);
    const hours = /CRITICAL/.test(severity) ? 8 : 4;
    // The worst advisory is the KEV-listed one at the floor; the other has EPSS 0.02.
    expect(cost.amount).toBeCloseTo(0.5 * hours * 15_000, 6);
    expect(cost.formula).toContain('15,000 EUR/h');
  });

  it('draws the charts as inline SVG in the HTML, and says which chart lacks data', () => {
    const html = readoutText(readout, 'html');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" role="img"');
    expect(html).toContain('<title>Risk over time</title>');
    expect(html).toMatch(/<circle [^>]+><title>risk score: \d+ at 2026-/);
    expect(html).toContain('p95 before/after: KPI, SLO, latency and efficiency deltas: no before/after baseline comparison is recorded for this upgrade');
    for (const heading of headings) expect(html).toContain(`<h2>${heading.slice(3)}</h2>`);
    expect(html).not.toContain('<script');
  });

  it('a period readout totals the upgrades done in it', async () => {
    const period = await buildReadout(readoutContext(estate), { period: '2026-12' });
    const md = readoutText(period, 'md');
    for (const heading of headings) expect(md).toContain(`\n${heading}\n`);
    expect(md).toContain('1 upgrade done, 0 rolled back');
    expect(md).toContain('2 advisories fixed by completed upgrades, 1 of them listed in CISA KEV.');
    expect(md).toContain('listed in CISA KEV');
    expect(md).not.toContain('no DORA source is wired');
    expect(readoutText(await buildReadout(readoutContext(estate, {}), { period: '2026-12' }), 'md')).toContain('Not known: DORA trend: no DORA source is wired');
    const empty = readoutText(await buildReadout(readoutContext(estate), { period: '2026-Q3' }), 'md');
    expect(empty).toContain('Not known: no upgrade reached verification, completion or rollback between 2026-07-01 and 2026-10-01');
  });

  it('shows the verification figures once their sources are wired: KPI and p95 deltas, incidents, the DORA trend', async () => {
    const sources: ReadoutSources = {
      baselines: async (id) => ({
        source: `baseline comparison of ${id}`,
        metrics: [
          { service: 'shop', metric: 'p95', kind: 'latency', unit: 'ms', before: 180, after: 120, higherIsBetter: false },
          { service: 'shop', metric: 'conversion', kind: 'kpi', unit: '%', before: 3.1, after: 3.3, higherIsBetter: true },
        ],
      }),
      incidents: async (query) => query.services.map((service) => ({ service, before: 3, after: 1, source: 'incidents.csv' })),
      dora: async () => ({ source: 'the factory records', points: [{ label: '2026-11', deploymentsPerWeek: 2, changeFailRate: 0.2 }, { label: '2026-12', deploymentsPerWeek: 3, changeFailRate: 0.1 }] }),
    };
    const context = readoutContext(estate, sources);
    const upgrade = readoutText(await buildReadout(context, { upgradeId: estate.upgradeId }), 'md');
    expect(upgrade).toContain('| shop | p95 | latency | 180 ms | 120 ms | -60 ms (-33.3%), better |');
    expect(upgrade).toContain('| shop | conversion | kpi | 3.1 % | 3.3 % | +0.2 % (+6.5%), better |');
    expect(upgrade).toContain('| shop | 3 | 1 | incidents.csv |');
    expect(upgrade).not.toContain('Not known: KPI');
    const html = readoutText(await buildReadout(context, { period: '2026-12' }), 'html');
    expect(html).toContain('<title>p95 latency before and after</title>');
    expect(html).toContain('<title>Deployment frequency (DORA)</title>');
    expect(html).toContain('<title>Change fail rate (DORA)</title>');
    expect(html).toContain('<desc>Change fail rate: 20 at 2026-11, 10 at 2026-12</desc>');
  });

  it('serves the readouts over the API to a viewer, and refuses a bad period with the accepted forms', async () => {
    const app = await buildServer({ store: estate.store, config: estate.loaded.config, loaded: estate.loaded});
    try {
      const { secret } = await createToken(estate.store, { name: 'exec', role: 'viewer', actor: 'alice' });
      const headers = { authorization: `Bearer ${secret}` };
      const md = await app.inject({ method: 'GET', url: `/api/v1/readouts/upgrades/${estate.upgradeId}`, headers });
      expect(md.statusCode).toBe(200);
      expect(md.headers['content-type']).toContain('text/markdown');
      for (const heading of headings) expect(md.body).toContain(heading);
      const html = await app.inject({ method: 'GET', url: `/api/v1/readouts/upgrades/${estate.upgradeId}?format=html`, headers });
      expect(html.headers['content-type']).toContain('text/html');
      expect(html.body).toContain('role="img"');
      const period = await app.inject({ method: 'GET', url: '/api/v1/readouts/periods/2026-12?format=json', headers });
      expect(period.json()).toMatchObject({ kind: 'period', totals: { done: 1 } });
      const bad = await app.inject({ method: 'GET', url: '/api/v1/readouts/periods/2026-Q9', headers });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().message).toContain('expected a quarter (2026-Q4)');
      const missing = await app.inject({ method: 'GET', url: '/api/v1/readouts/upgrades/upg_nope', headers });
      expect(missing.statusCode).toBe(404);
      const calibration = await app.inject({ method: 'GET', url: '/api/v1/risk/calibration', headers });
      expect(calibration.json()).toMatchObject({ clean: 1, failed: 0 });
    } finally {
      await app.close();
    }
  });

  it('uf readout and uf risk calibrate, as a user runs them', async () => {
    const uf = (...args: string[]) => runUf(['--config', join(estate.dir, 'factory.yaml'), ...args], { cwd: estate.dir });
    const out = join(estate.dir, 'q4.html');
    const html = await uf('readout', '--period', '2026-Q4', '--format', 'html', '--out', out);
    expect(html.code, html.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('<h2>What risk reduced</h2>');
    const md = await uf('readout', estate.upgradeId);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('## Why now');
    const neither = await uf('readout');
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('name an upgrade id or --period');
    if (findBrowser(process.env.PATH)) {
      const pdf = join(estate.dir, 'readout.pdf');
      const printed = await uf('readout', estate.upgradeId, '--format', 'pdf', '--out', pdf);
      expect(printed.code, printed.stderr).toBe(0);
      expect(readFileSync(pdf).subarray(0, 4).toString('latin1')).toBe('%PDF');
    }
    const noFile = await uf('readout', estate.upgradeId, '--format', 'pdf');
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('--format pdf writes a file: add --out FILE');
    const calibrate = await uf('risk', 'calibrate', '--json');
    expect(calibrate.code, calibrate.stderr).toBe(0);
    expect(JSON.parse(calibrate.stdout)).toMatchObject({ clean: 1, failed: 0, notes: expect.arrayContaining([expect.stringContaining('not enough outcomes')]) });
  }, 120_000);

  const browser = process.env.UF_CHROMIUM ?? findBrowser(process.env.PATH);
  const pdftoppm = findOnPath('pdftoppm');
  if (!browser) console.warn('readout PDF test skipped: no chromium on PATH (apt-get install chromium)');
  it.skipIf(!browser)('prints to a PDF whose first page is a non-blank image', async () => {
    const pdf = await renderPdf(readoutText(readout, 'html'), { browser: browser!, timeoutMs: 120_000 });
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
    if (!pdftoppm) {
      console.warn('readout PDF image check skipped: no pdftoppm on PATH (apt-get install poppler-utils)');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'uf-readout-pdf-'));
    try {
      writeFileSync(join(dir, 'readout.pdf'), pdf);
      // Greyscale PGM: one byte per pixel after the header, easy to check for ink.
      execFileSync(pdftoppm, ['-f', '1', '-l', '1', '-r', '50', '-gray', '-singlefile', join(dir, 'readout.pdf'), join(dir, 'page')], { timeout: 60_000 });
      const png = spawnSync(pdftoppm, ['-f', '1', '-l', '1', '-r', '50', '-png', '-singlefile', join(dir, 'readout.pdf'), join(dir, 'page')], { timeout: 60_000 });
      expect(png.status).toBe(0);
      expect(statSync(join(dir, 'page.png')).size).toBeGreaterThan(5_000);
      const pixels = greyPixels(readFileSync(join(dir, 'page.pgm')));
      const dark = pixels.filter((p) => p < 128).length;
      // Text, tables and the chart put ink on the page: well above nothing, well below all.
      expect(dark / pixels.length).toBeGreaterThan(0.005);
      expect(dark / pixels.length).toBeLessThan(0.5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('readout of an estate whose catalog records no downtime cost', () => {
  let estate: SeededEstate;
  beforeAll(async () => {
    estate = await seedEstate({ costs: false });
  }, 120_000);
  afterAll(async () => {
    await estate?.store.close();
    if (estate) rmSync(estate.dir, { recursive: true, force: true });
  });

  it('gives no avoided-cost figure and names each missing input', async () => {
    const readout = (await buildReadout(readoutContext(estate), { upgradeId: estate.upgradeId })) as UpgradeReadout;
    expect(readout.riskReduced.avoidedCost.status).toBe('unknown');
    const md = readoutText(readout, 'md');
    expect(md).toContain('Avoided downtime cost: unknown: 2 inputs are missing');
    expect(md).toContain('- Missing: downtime cost per hour of shop (affected service): no upgrade-factory.io/downtime-cost-per-hour annotation and no economics.organisationCostPerHour to share by traffic.');
    expect(md).toContain('- Missing: downtime cost per hour of web (dependent of shop)');
    expect(md).not.toMatch(/\d[\d,]* EUR expected/);
    // Not done yet: no risk after, and it says why.
    expect(md).toMatch(/Not known: risk score after: the upgrade is (intake|triaged), not done/);
  });
});

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

/** The pixel bytes of a binary PGM (P5) file. */
function greyPixels(pgm: Buffer): Uint8Array {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm wrote no PGM');
  return new Uint8Array(pgm.subarray(header[0].length));
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ufBin } from '../helpers/cli.js';
import { browserSkipReason, launch, screenshotDir, signIn } from './browser.js';

/**
 * `uf demo` as a user runs it, watched in a real browser: the page it prints opens the sign-in,
 * the pipeline board follows the demo's three rollouts live (each upgrade's move to another stage
 * shows within a second of the server announcing it), the views open, and the promoted upgrade's
 * readout opens once it is done.
 */
describe.skipIf(browserSkipReason !== undefined)(`dashboard on a live uf demo${browserSkipReason ? `: ${browserSkipReason}` : ''}`, () => {
  let dir: string;
  let demo: ChildProcess;
  let output = '';
  let base: string;
  let viewer: string;
  let browser: Browser;
  let page: Page;
  const transitions: { upgradeId: string; to: string; at: number }[] = [];
  const stream = new AbortController();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-web-demo-'));
    demo = spawn(process.execPath, [ufBin, 'demo', '--port', '0', '--workspace', join(dir, 'ws')], { env: { ...process.env, UF_DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    demo.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    demo.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const started = Date.now();
    while (!/Dashboard: (\S+)\/ /.test(output) || !/viewer:\s+(\S+)/.test(output)) {
      if (demo.exitCode !== null || Date.now() - started > 120_000) throw new Error(`uf demo did not print its dashboard URL:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    base = /Dashboard: (\S+)\/ /.exec(output)![1]!;
    viewer = /viewer:\s+(\S+)/.exec(output)![1]!;
    void follow(base, viewer, stream.signal, (event) => {
      if (event.type === 'upgrade.transitioned') transitions.push({ upgradeId: event.upgradeId as string, to: event.to as string, at: Date.now() });
    });
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 150_000);

  afterAll(async () => {
    stream.abort();
    await browser?.close();
    if (demo && demo.exitCode === null && demo.signalCode === null) {
      // Ctrl-C, as a user stops it: the server gives requests 5 s, then cuts what is left.
      const exited = new Promise((resolve) => demo.once('exit', resolve));
      demo.kill('SIGINT');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows each stage change of the demo rollouts on the board within a second of the event', async () => {
    await signIn(page, base, viewer);
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor({ timeout: 15_000 });
    // The page notes, in wall-clock ms, when each upgrade first shows in each stage's column.
    await page.evaluate(() => {
      const seen: Record<string, number> = {};
      (window as unknown as { ufSeen: Record<string, number> }).ufSeen = seen;
      const scan = () => {
        for (const tile of document.querySelectorAll<HTMLAnchorElement>('[data-stage] a[href^="#/upgrades/"]')) {
          const key = `${tile.closest('[data-stage]')!.getAttribute('data-stage')} ${tile.getAttribute('href')!.slice('#/upgrades/'.length)}`;
          seen[key] ??= Date.now();
        }
      };
      scan();
      new MutationObserver(scan).observe(document.body, { childList: true, subtree: true });
    });
    const watchedFrom = Date.now();
    const deadline = watchedFrom + 150_000;
    // Until the demo has run its rollouts (it then says it is serving). How each rollout ends is the
    // demo's own test (test/cli.test.ts); here every transition announced must reach the page.
    while (Date.now() < deadline && !/^Serving /m.test(output)) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(output).toMatch(/^Serving /m);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const seen = await page.evaluate(() => (window as unknown as { ufSeen: Record<string, number> }).ufSeen);
    const watched = transitions.filter((t) => t.at > watchedFrom);
    const lags: number[] = [];
    for (const [i, t] of watched.entries()) {
      const shown = seen[`${t.to} ${t.upgradeId}`];
      // A state the upgrade left again within a second may never be drawn: the page shows the newer one.
      const next = watched.slice(i + 1).find((u) => u.upgradeId === t.upgradeId);
      if (shown === undefined && next && next.at - t.at < 1_000) continue;
      expect(shown, `${t.upgradeId} moving to ${t.to} never showed on the board`).toBeDefined();
      lags.push(Math.max(0, shown! - t.at));
    }
    expect(lags.length).toBeGreaterThan(3);
    console.log(`board: ${lags.length} stage changes shown, slowest ${Math.max(...lags).toFixed(0)} ms after the event reached a second client`);
    expect(Math.max(...lags)).toBeLessThan(1_000);
    await page.screenshot({ path: join(screenshotDir(dir), 'board.png'), fullPage: true });
  }, 240_000);

  it('opens a finished upgrade, its readout, and the other views', async () => {
    // The promoted upgrade; on a machine so loaded that its verification failed, a rolled-back one.
    const done = transitions.find((t) => t.to === 'done') ?? transitions.find((t) => t.to === 'rolled_back');
    expect(done, 'the demo finished an upgrade').toBeDefined();
    const shots = screenshotDir(dir);
    await page.goto(`${base}/#/upgrades/${done!.upgradeId}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await settled(page);
    await page.screenshot({ path: join(shots, 'upgrade.png') });
    // The sticky header would sit over the section in an element screenshot.
    const unstick = await page.addStyleTag({ content: '.top { position: static; }' });
    await page.getByRole('region', { name: 'Rollout' }).screenshot({ path: join(shots, 'upgrade-rollout.png') });
    await unstick.evaluate((style) => (style as HTMLElement).remove());
    await page.getByTestId('chain-status').filter({ hasText: 'chain verified' }).waitFor({ timeout: 10_000 });
    await page.goto(`${base}/#/readouts?upgrade=${done!.upgradeId}`);
    await page.getByRole('heading', { level: 1, name: /readout/i }).waitFor({ timeout: 15_000 });
    await settled(page);
    await page.screenshot({ path: join(shots, 'readout.png') });
    for (const view of ['estate', 'calendar']) {
      await page.goto(`${base}/#/${view}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await settled(page);
      await page.screenshot({ path: join(shots, `${view}.png`) });
    }
    for (const view of ['', 'approvals', 'estate', 'calendar', 'readouts', `upgrades/${done!.upgradeId}`]) {
      await page.goto(`${base}/#/${view}`);
      await settled(page);
      expect(await unnamedControls(page), `controls without an accessible name on #/${view}`).toEqual([]);
    }
    // By keyboard alone: the skip link comes first, and a tile opens its upgrade with focus at the view's start.
    await page.goto(`${base}/#/`);
    await page.reload();
    await settled(page);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.locator('a.tile').first().focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.evaluate(() => location.hash)).toMatch(/^#\/upgrades\/upg_/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // Readable on a phone: nothing wider than the screen but the board's own scrolling lanes.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/#/upgrades/${done!.upgradeId}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await settled(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: join(shots, 'upgrade-phone.png') });
  }, 120_000);
});

/** Waits until no part of the view says it is still loading (the event stream keeps the network busy for good). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[aria-busy="true"]') === null, undefined, { timeout: 15_000 });
}

/** Buttons, links, fields and lists that a screen reader would announce without a name. */
function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea')]
      .filter((el) => {
        const labelled = (el as HTMLInputElement).labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.getAttribute('title');
        return !labelled && (el.textContent ?? '').trim() === '' && (el as HTMLInputElement).type !== 'hidden';
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

/** Follows the server's event stream from Node, as a second client, to know when each event was announced. */
async function follow(base: string, token: string, signal: AbortSignal, onEvent: (event: Record<string, unknown>) => void): Promise<void> {
  try {
    const response = await fetch(`${base}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const data = buffer.slice(0, end).split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        buffer = buffer.slice(end + 2);
        if (data) onEvent(JSON.parse(data) as Record<string, unknown>);
      }
    }
  } catch {
    // aborted at the end of the suite
  }
}

import { accessSync, constants } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeySchema } from '../../config/sections/journeys.js';
import { fixedClock } from '../../core/clock.js';
import { runJourney } from './run.js';
import { startShop, type ShopServer } from './testing.js';

const chromium = '/usr/bin/chromium';
const chromiumMissing = (() => {
  try {
    accessSync(chromium, constants.X_OK);
    return undefined;
  } catch {
    return `no chromium at ${chromium} (apt-get install chromium)`;
  }
})();

const clock = fixedClock('2026-12-02T10:00:00Z');
const formJourney = (executablePath: string) =>
  journeySchema.parse({
    name: 'greeting',
    service: 'shop',
    browser: { executablePath },
    steps: [
      { kind: 'browser', name: 'open', action: 'goto', url: '/' },
      { kind: 'browser', action: 'fill', selector: '#name', value: 'probe' },
      { kind: 'browser', action: 'click', selector: '#go' },
      { kind: 'browser', name: 'greeted', action: 'expectText', selector: '#out', text: 'Hello probe' },
    ],
  });

let shop: ShopServer;
beforeAll(async () => {
  shop = await startShop();
});
afterAll(async () => {
  await shop.close();
});

describe('browser journeys', () => {
  it('say clearly that the browser is unavailable, as a failing journey', async () => {
    const result = await runJourney(formJourney('/nonexistent/chromium'), { baseUrl: shop.url }, { clock });
    expect(result.state).toBe('failing');
    expect(result.reasons).toEqual(['browser unavailable: no executable chromium at /nonexistent/chromium (install Debian\'s chromium, or set journeys[].browser.executablePath)']);
  });

  describe.skipIf(chromiumMissing !== undefined)(`with chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
    it('drives a form through goto, fill, click and expectText, timing each step, with the target’s headers', async () => {
      const result = await runJourney(formJourney(chromium), { baseUrl: shop.url, headers: { 'x-uf-canary': 'always' } }, { clock });
      expect(result.reasons).toEqual([]);
      expect(result.state).toBe('passing');
      const steps = result.iterations[0]!.steps;
      expect(steps.map((s) => [s.name, s.kind, s.ok])).toEqual([
        ['open', 'browser', true],
        ['step 2', 'browser', true],
        ['step 3', 'browser', true],
        ['greeted', 'browser', true],
      ]);
      expect(steps.every((s) => s.latencyMs >= 0)).toBe(true);
      expect(steps[3]!.checks[0]).toMatchObject({ check: 'text', actual: 'Hello probe' });
      expect(shop.hits.find((hit) => hit.path === '/')!.headers['x-uf-canary']).toBe('always');
    }, 60_000);
  });
});

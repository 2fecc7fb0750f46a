import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/api/server.js';
import { composeRoot } from '../src/app/root.js';
import { createRollouts } from '../src/app/rollouts.js';
import { parseConfig } from '../src/config/load.js';
import { fixedClock } from '../src/core/clock.js';
import type { Store } from '../src/store/open.js';
import { createToken } from '../src/store/repos/tokens.js';
import { storeTargets } from './helpers/stores.js';

/**
 * GET /api/v1/windows/occurrences: the calendar's openings of each cron window, computed by the
 * server in the window's zone (across a DST change), on a real SQLite store.
 */
const yaml = `version: 1
name: occurrences-test
windows:
  allow:
    - name: weeknights
      cron: "0 22 * * 1-5"
      duration: 4h
      timeZone: Europe/Berlin
  deny:
    - name: month-end
      cron: "0 0 1 * *"
      duration: 1d
      reason: month-end close
`;

describe('GET /api/v1/windows/occurrences', () => {
  let app: FastifyInstance;
  let store: Store;
  let cleanup: () => Promise<void>;
  let base: string;
  let secret: string;
  const clock = fixedClock('2026-10-27T09:00:00.000Z');

  beforeAll(async () => {
    ({ store, cleanup } = await storeTargets[0]!.open({ clock }));
    const config = parseConfig(yaml, 'f.yaml');
    const parts = composeRoot({ config, file: undefined, baseDir: '.' }, { env: {}, logger: pino({ level: 'silent' }), clock });
    const root = { ...parts, store, close: () => Promise.resolve() };
    app = await buildServer({ store, config, root, rollouts: createRollouts(root, { routerFor: () => undefined }), compat: root });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    ({ secret } = await createToken(store, { name: 'viewer', role: 'viewer', actor: 'user:test', user: 'vera' }));
  });
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  const get = async (query: string) => {
    const response = await fetch(`${base}/api/v1/windows/occurrences${query}`, { headers: { authorization: `Bearer ${secret}` } });
    return { status: response.status, body: (await response.json()) as { items: { kind: string; name: string; start: string; end: string; timeZone: string }[]; message?: string } };
  };

  it('expands each window in its own zone, across the end of summer time, with openings already under way', async () => {
    // Berlin leaves summer time on Sunday 25 October 2026: 22:00 is 20:00Z before, 21:00Z after.
    const { status, body } = await get('?from=2026-10-21T23:00:00Z&to=2026-10-28T00:00:00Z');
    expect(status).toBe(200);
    const nights = body.items.filter((o) => o.name === 'weeknights');
    expect(nights.map((o) => o.start)).toEqual([
      '2026-10-21T20:00:00.000Z', // Wednesday's opening, still open at `from` (23:00Z, until 00:00Z)
      '2026-10-22T20:00:00.000Z',
      '2026-10-23T20:00:00.000Z',
      '2026-10-26T21:00:00.000Z',
      '2026-10-27T21:00:00.000Z',
    ]);
    expect(nights[3]).toMatchObject({ kind: 'allow', end: '2026-10-27T01:00:00.000Z', timeZone: 'Europe/Berlin' });
    expect(body.items.filter((o) => o.name === 'month-end')).toEqual([]);
  });

  it('defaults to the next seven days and refuses a backwards or too long period', async () => {
    const week = await get('');
    expect(week.status).toBe(200);
    expect(week.body.items.find((o) => o.name === 'month-end')).toMatchObject({ kind: 'deny', start: '2026-11-01T00:00:00.000Z', end: '2026-11-02T00:00:00.000Z' });
    const backwards = await get('?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z');
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toContain('must be after');
    const long = await get('?from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z');
    expect(long.status).toBe(400);
    expect(long.body.message).toContain('at most 62 days');
  });
});

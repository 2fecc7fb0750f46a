import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inLanes, randomKey, send, startStack, type Stack } from './helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ proxy: { sticky: { kind: 'header', name: 'x-user' } } });
});
afterAll(() => stack.close());

describe('weighted split over real requests', () => {
  it('sends the weight in force to the canary: 30 % of 4,000 users within ±3 pp', async () => {
    // Binomial sd at 30 % over 4,000 = 0.72 pp, so ±3 pp is over 4 sd.
    stack.proxy.control.setWeight(30);
    let canary = 0;
    await inLanes(4_000, 16, async () => {
      const answer = await send(`${stack.proxy.url}/split`, { headers: { 'x-user': randomKey() } });
      expect(answer.status).toBe(200);
      if (answer.version === 'v2') canary++;
    });
    expect(Math.abs(canary / 40 - 30)).toBeLessThanOrEqual(3);
  });

  it('keeps each user on one version, and a canary user at 5 % on the canary at 25 %', async () => {
    stack.proxy.control.setWeight(5);
    const users = Array.from({ length: 1_000 }, (_, i) => `user-${i}`);
    const at5 = new Map<string, string>();
    await inLanes(users.length, 16, async (i) => {
      const user = users[i]!;
      const first = await send(`${stack.proxy.url}/a`, { headers: { 'x-user': user } });
      const second = await send(`${stack.proxy.url}/b`, { headers: { 'x-user': user } });
      expect(second.version).toBe(first.version);
      at5.set(user, first.version!);
    });
    stack.proxy.control.setWeight(25);
    const canaryAt5 = users.filter((u) => at5.get(u) === 'v2');
    let canaryAt25 = 0;
    await inLanes(users.length, 16, async (i) => {
      const user = users[i]!;
      const answer = await send(`${stack.proxy.url}/c`, { headers: { 'x-user': user } });
      if (answer.version === 'v2') canaryAt25++;
      if (at5.get(user) === 'v2') expect(answer.version, user).toBe('v2');
    });
    expect(canaryAt5.length).toBeGreaterThan(20);
    expect(canaryAt25).toBeGreaterThan(180);
    expect(canaryAt25).toBeLessThan(320);
  });

  it('places requests without the sticky key at random, per request', async () => {
    stack.proxy.control.setWeight(50);
    const seen = new Set<string | undefined>();
    for (let i = 0; i < 60; i++) seen.add((await send(`${stack.proxy.url}/anon`)).version);
    expect(seen).toEqual(new Set(['v1', 'v2']));
  });
});

describe('override routes', () => {
  it('forces the canary with a header, whatever the weight', async () => {
    stack.proxy.control.setWeight(0);
    stack.proxy.control.setRoute({ kind: 'header', name: 'X-Canary', value: 'yes', variant: 'canary' });
    for (let i = 0; i < 50; i++) expect((await send(`${stack.proxy.url}/`, { headers: { 'x-canary': 'yes', 'x-user': randomKey() } })).version).toBe('v2');
    expect((await send(`${stack.proxy.url}/`, { headers: { 'x-canary': 'no' } })).version).toBe('v1');
  });

  it('forces a version with a cookie, stable included, and stops when the route is removed', async () => {
    stack.proxy.control.setWeight(100);
    stack.proxy.control.setRoute({ kind: 'cookie', name: 'pin', value: 'stable', variant: 'stable' });
    for (let i = 0; i < 50; i++) expect((await send(`${stack.proxy.url}/`, { headers: { cookie: `theme=dark; pin=stable`, 'x-user': randomKey() } })).version).toBe('v1');
    stack.proxy.control.setRoute(undefined);
    expect((await send(`${stack.proxy.url}/`, { headers: { cookie: 'pin=stable' } })).version).toBe('v2');
  });
});

import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { RoutingTable } from './routing.js';

const request = (headers: Record<string, string> = {}): IncomingMessage => ({ headers, socket: { remoteAddress: '127.0.0.1' } }) as unknown as IncomingMessage;

describe('RoutingTable', () => {
  it('keeps a user on the canary as the weight grows', () => {
    const table = new RoutingTable({ canaryWeight: 5, sticky: { kind: 'header', name: 'x-user' } });
    const users = Array.from({ length: 2_000 }, (_, i) => `user-${i}`);
    const at5 = users.filter((u) => table.choose(request({ 'x-user': u })) === 'canary');
    table.setWeight(25);
    const at25 = new Set(users.filter((u) => table.choose(request({ 'x-user': u })) === 'canary'));
    expect(at5.length).toBeGreaterThan(50);
    expect(at5.every((u) => at25.has(u))).toBe(true);
    expect(at25.size).toBeGreaterThan(400);
  });

  it('places requests without a sticky key at random', () => {
    const draws = [0.01, 0.99];
    const table = new RoutingTable({ canaryWeight: 50, sticky: { kind: 'cookie', name: 'sid' }, random: () => draws.shift() ?? 0 });
    expect([table.choose(request()), table.choose(request())]).toEqual(['canary', 'stable']);
  });

  it('lets an override route force a version whatever the weight', () => {
    const table = new RoutingTable({ canaryWeight: 0, sticky: undefined });
    table.setRoute({ kind: 'header', name: 'X-Canary', value: 'always', variant: 'canary' });
    expect(table.choose(request({ 'x-canary': 'always' }))).toBe('canary');
    expect(table.choose(request({ 'x-canary': 'never' }))).toBe('stable');
    table.setWeight(100);
    table.setRoute({ kind: 'cookie', name: 'pin', value: 'v1', variant: 'stable' });
    expect(table.choose(request({ cookie: 'pin=v1' }))).toBe('stable');
    expect(table.choose(request())).toBe('canary');
  });

  it('swaps whole states: a request routes by the state it read, and reset clears everything', () => {
    const table = new RoutingTable({ canaryWeight: 100, sticky: undefined });
    const before = table.state;
    table.setRoute({ kind: 'header', name: 'x', value: '1', variant: 'canary' });
    const after = table.reset();
    expect(Object.isFrozen(after)).toBe(true);
    expect(table.choose(request(), before)).toBe('canary');
    expect(table.choose(request({ x: '1' }))).toBe('stable');
    expect(after).toMatchObject({ canaryWeight: 0, route: undefined, generation: 2 });
  });
});

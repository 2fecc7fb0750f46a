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

  it('with a baseline: keeps canary and baseline users where they were as both weights grow, in one swap', () => {
    const table = new RoutingTable({ canaryWeight: 5, baselineWeight: 5, hasBaseline: true, sticky: { kind: 'header', name: 'x-user' } });
    const users = Array.from({ length: 4_000 }, (_, i) => `user-${i}`);
    const placed = () => new Map(users.map((u) => [u, table.choose(request({ 'x-user': u }))]));
    const at5 = placed();
    const generation = table.state.generation;
    table.setWeights(25, 25);
    expect(table.state.generation).toBe(generation + 1);
    const at25 = placed();
    const count = (map: Map<string, string>, variant: string) => [...map.values()].filter((v) => v === variant).length;
    expect(count(at5, 'canary')).toBeGreaterThan(120);
    expect(count(at5, 'baseline')).toBeGreaterThan(120);
    expect(count(at25, 'baseline')).toBeGreaterThan(850);
    for (const [user, variant] of at5) if (variant !== 'stable') expect(at25.get(user), user).toBe(variant);
    table.setWeight(25);
    expect(table.state).toMatchObject({ canaryWeight: 25, baselineWeight: 0, baselineStart: 10_000 });
    expect(count(placed(), 'baseline')).toBe(0);
  });

  it('sends everybody to the baseline at baseline 100, and ignores a start weight without a baseline upstream', () => {
    const table = new RoutingTable({ canaryWeight: 0, baselineWeight: 100, hasBaseline: true, sticky: undefined });
    expect(Array.from({ length: 50 }, () => table.choose(request()))).toEqual(Array(50).fill('baseline'));
    expect(table.reset()).toMatchObject({ canaryWeight: 0, baselineWeight: 0 });
    expect(new RoutingTable({ canaryWeight: 0, baselineWeight: 50, sticky: undefined }).state.baselineWeight).toBe(0);
  });
});

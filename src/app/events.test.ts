import { describe, expect, it } from 'vitest';
import { createEventBus, type AppEvent } from './events.js';

const imported = (file: string): AppEvent => ({ type: 'import.completed', kind: 'catalog', file, actor: 'test', at: '2026-01-01T00:00:00.000Z' });

describe('event bus', () => {
  it('delivers every event to every subscriber in publish order', () => {
    const bus = createEventBus(() => {});
    const first: string[] = [];
    const second: string[] = [];
    bus.subscribe((e) => void first.push(e.type === 'import.completed' ? e.file : e.type));
    bus.subscribe((e) => void second.push(e.type === 'import.completed' ? e.file : e.type));
    for (const file of ['a', 'b', 'c']) bus.publish(imported(file));
    expect(first).toEqual(['a', 'b', 'c']);
    expect(second).toEqual(['a', 'b', 'c']);
  });

  it('delivers an event published by a subscriber after the one being delivered, to everyone', () => {
    const bus = createEventBus(() => {});
    const seen: string[] = [];
    bus.subscribe((e) => {
      if (e.type === 'import.completed' && e.file === 'a') bus.publish(imported('b'));
    });
    bus.subscribe((e) => void seen.push(e.type === 'import.completed' ? e.file : e.type));
    bus.publish(imported('a'));
    expect(seen).toEqual(['a', 'b']);
  });

  it('stops delivering after unsubscribe', () => {
    const bus = createEventBus(() => {});
    const seen: string[] = [];
    const unsubscribe = bus.subscribe((e) => void seen.push(e.type));
    bus.publish(imported('a'));
    unsubscribe();
    bus.publish(imported('b'));
    expect(seen).toEqual(['import.completed']);
  });

  it('isolates a throwing subscriber: the publisher and the others carry on, the error is reported', async () => {
    const errors: unknown[] = [];
    const bus = createEventBus((error) => errors.push(error));
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('broken subscriber');
    });
    bus.subscribe(async () => {
      throw new Error('broken async subscriber');
    });
    bus.subscribe((e) => void seen.push(e.type === 'import.completed' ? e.file : e.type));
    expect(() => bus.publish(imported('a'))).not.toThrow();
    bus.publish(imported('b'));
    expect(seen).toEqual(['a', 'b']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors.map((e) => (e as Error).message).sort()).toEqual(['broken async subscriber', 'broken async subscriber', 'broken subscriber', 'broken subscriber']);
  });
});

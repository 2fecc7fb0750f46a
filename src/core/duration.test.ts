import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('durations', () => {
  it('reads units largest first', () => {
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('1m500ms')).toBe(60_500);
    expect(parseDuration('0s')).toBe(0);
  });

  it('refuses anything else rather than guess', () => {
    for (const text of ['5', '5 m', '1.5m', '30m1h', '5m5m', 'm', '', '-5m', '5M', '5min', ' 5m']) expect(parseDuration(text), text).toBeUndefined();
  });

  it('formats back to the shortest spelling', () => {
    for (const text of ['5m', '1h30m', '2d', '1m500ms', '45s']) expect(formatDuration(parseDuration(text)!)).toBe(text);
  });
});

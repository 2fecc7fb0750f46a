import { describe, expect, it } from 'vitest';
import { buildJudge, judgeRegistry } from './registry.js';

describe('judge registry', () => {
  it('builds each kind from its settings', () => {
    expect(Object.keys(judgeRegistry).sort()).toEqual(['statistical', 'threshold']);
    expect(buildJudge({ kind: 'threshold', checks: [{ metric: 'p95_latency', max: 250 }] }).id).toBe('threshold');
    expect(buildJudge({ kind: 'statistical', metrics: [{ metric: 'p95_latency' }] }).id).toBe('statistical');
  });

  it('refuses settings outside their domain with the key path', () => {
    expect(() => buildJudge({ kind: 'statistical', metrics: [{ metric: 'p95_latency', tolerance: 2 }] })).toThrow(expect.objectContaining({ code: 'config_invalid', location: { path: 'metrics[0].tolerance' } }));
    expect(() => buildJudge({ kind: 'threshold', checks: [{ metric: 'p95_latency', max: 1, maximum: 2 }] })).toThrow(expect.objectContaining({ message: "invalid judge settings: unknown key 'maximum'" }));
  });
});

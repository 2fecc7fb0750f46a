import { describe, expect, it } from 'vitest';
import { SlidingWindow } from './sliding-window.js';

const t0 = Date.UTC(2025, 0, 1);

describe('SlidingWindow', () => {
  it('summarises the last 10 s and 60 s separately', () => {
    const window = new SlidingWindow(60);
    for (let s = 0; s < 60; s++) window.recordResponse(t0 + s * 1000, 200, s < 50 ? 10 : 100);
    window.recordResponse(t0 + 59_500, 503, 100);
    window.recordUpstreamError(t0 + 59_500);
    const last10 = window.summary(t0 + 59_900, 10);
    expect(last10).toMatchObject({ seconds: 10, requests: 11, upstreamErrors: 1, byClass: { '2xx': 10, '5xx': 1 } });
    expect(last10.errorRate).toBeCloseTo(1 / 11);
    expect(last10.p50).toBeCloseTo(100, -1);
    const last60 = window.summary(t0 + 59_900, 60);
    expect(last60.requests).toBe(61);
    expect(last60.p50).toBeCloseTo(10, 0);
    expect(last60.p95).toBeCloseTo(100, -1);
  });

  it('forgets seconds that fell out of the window, even when the ring comes round again', () => {
    const window = new SlidingWindow(60);
    window.recordResponse(t0, 500, 5);
    expect(window.summary(t0 + 59_000, 60).requests).toBe(1);
    expect(window.summary(t0 + 60_000, 60).requests).toBe(0);
    window.recordResponse(t0 + 60_000, 200, 5);
    expect(window.summary(t0 + 60_000, 60)).toMatchObject({ requests: 1, byClass: { '5xx': 0, '2xx': 1 } });
  });

  it('reports no percentiles and no error rate without requests', () => {
    expect(new SlidingWindow().summary(t0, 10)).toMatchObject({ requests: 0, errorRate: null, p50: null, p95: null, p99: null });
  });
});

import { describe, expect, it } from 'vitest';
import { lookupJsonPath, parseJsonPath } from './json-path.js';

describe('JSON path subset', () => {
  it('parses keys, quoted keys and indexes', () => {
    expect(parseJsonPath(`$.a.b[0]['c d']["e\\"f"]`)).toEqual({
      ok: true,
      steps: [
        { kind: 'key', key: 'a' },
        { kind: 'key', key: 'b' },
        { kind: 'index', index: 0 },
        { kind: 'key', key: 'c d' },
        { kind: 'key', key: 'e"f' },
      ],
    });
    expect(parseJsonPath('$')).toEqual({ ok: true, steps: [] });
  });

  it('refuses what it does not read, saying where', () => {
    expect(parseJsonPath('a.b')).toEqual({ ok: false, reason: 'a JSON path starts with $' });
    expect(parseJsonPath('$.a.*')).toMatchObject({ ok: false, reason: expect.stringContaining('offset 4') });
    expect(parseJsonPath('$..a')).toMatchObject({ ok: false });
    expect(parseJsonPath('$.a[-1]')).toMatchObject({ ok: false });
  });

  it('finds a value, or names the path up to the step that found nothing', () => {
    const document = { kpi: { rates: [{ conversion: 0.03 }], 'a-b': null } };
    const steps = (path: string) => (parseJsonPath(path) as { ok: true; steps: never[] }).steps;
    expect(lookupJsonPath(document, steps('$.kpi.rates[0].conversion'))).toEqual({ found: true, value: 0.03 });
    expect(lookupJsonPath(document, steps('$.kpi.a-b'))).toEqual({ found: true, value: null });
    expect(lookupJsonPath(document, steps('$.kpi.rates[1].conversion'))).toEqual({ found: false, missing: '$.kpi.rates[1]' });
    expect(lookupJsonPath(document, steps('$.kpi.rates.conversion'))).toEqual({ found: false, missing: '$.kpi.rates.conversion' });
    expect(lookupJsonPath(document, steps('$.kpi.toString'))).toEqual({ found: false, missing: '$.kpi.toString' });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UfError } from '../../core/errors.js';
import { parseOsvDocument, parseOsvText } from './parse.js';

const valid = JSON.stringify(
  [
    {
      id: 'GHSA-aaaa-bbbb-cccc',
      modified: '2024-05-01T10:00:00Z',
      aliases: ['CVE-2024-0001'],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }] }],
    },
    { id: 'PYSEC-2024-1', modified: '2024-05-02T00:00:00Z', affected: [{ package: { ecosystem: 'PyPI', name: 'y' }, versions: ['1.0'] }] },
  ],
  null,
  2,
);

/** Only UfError may come out; whatever does not throw must be well-formed. */
function expectOnlyUfErrors(text: string): void {
  let outcomes: ReturnType<typeof parseOsvDocument>;
  try {
    outcomes = parseOsvDocument(text, 'any.json');
  } catch (error) {
    expect(error).toBeInstanceOf(UfError);
    expect((error as UfError).location?.file).toBe('any.json');
    return;
  }
  for (const outcome of outcomes) {
    if (outcome.error) expect(outcome.error).toBeInstanceOf(UfError);
    else expect(outcome.advisory.contentHash).toMatch(/^[0-9a-f]{64}$/);
  }
  try {
    parseOsvText(text, 'any.json');
  } catch (error) {
    expect(error).toBeInstanceOf(UfError);
  }
}

describe('parseOsvText on arbitrary input', () => {
  it('throws only UfError for random text and random JSON', () => {
    const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v)));
    fc.assert(fc.property(anyText, expectOnlyUfErrors), { numRuns: 500 });
  });

  it('throws only UfError for truncated and spliced copies of a valid batch', () => {
    const damaged = fc.oneof(
      fc.nat({ max: valid.length }).map((end) => valid.slice(0, end)),
      fc
        .tuple(fc.nat({ max: valid.length }), fc.constantFrom('"', '{', ']', ',', 'null', '[]', '{}', '\\', '"x":1,'))
        .map(([at, inserted]) => valid.slice(0, at) + inserted + valid.slice(at)),
    );
    fc.assert(fc.property(damaged, expectOnlyUfErrors), { numRuns: 500 });
  });

  it('throws only UfError for records with random values in real fields', () => {
    const fields = fc.record(
      {
        id: fc.oneof(fc.string(), fc.constant('GHSA-1')),
        modified: fc.oneof(fc.string(), fc.constant('2024-01-01T00:00:00Z')),
        aliases: fc.jsonValue(),
        affected: fc.jsonValue(),
        severity: fc.jsonValue(),
        database_specific: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(fields, (record) => expectOnlyUfErrors(JSON.stringify(record))), { numRuns: 500 });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UfError } from '../../../core/errors.js';
import { parseKevText } from './index.js';

const sample = JSON.stringify(
  {
    title: 'CISA Catalog of Known Exploited Vulnerabilities',
    catalogVersion: '2025.08.25',
    dateReleased: '2025-08-25T17:04:19.9796Z',
    count: 2,
    vulnerabilities: [
      {
        cveID: 'CVE-2021-44228', vendorProject: 'Apache', product: 'Log4j2', vulnerabilityName: 'Apache Log4j2 RCE',
        dateAdded: '2021-12-10', shortDescription: 'JNDI.', requiredAction: 'Apply updates.', dueDate: '2021-12-24',
        knownRansomwareCampaignUse: 'Known', notes: '', cwes: ['CWE-20'],
      },
      {
        cveID: 'CVE-2022-22965', vendorProject: 'VMware', product: 'Spring Framework', vulnerabilityName: 'Spring4Shell',
        dateAdded: '2022-04-04', shortDescription: 'RCE.', requiredAction: 'Apply updates.', dueDate: '2022-04-25',
        knownRansomwareCampaignUse: 'Unknown', notes: '', cwes: ['CWE-94'],
      },
    ],
  },
  null,
  4,
);

function expectOnlyUfErrors(text: string): void {
  try {
    const catalog = parseKevText(text, 'kev.json');
    for (const error of catalog.errors) expect(error).toBeInstanceOf(UfError);
    for (const [cve, entry] of catalog.entries) expect(entry.cveID).toBe(cve);
  } catch (error) {
    expect(error).toBeInstanceOf(UfError);
  }
}

describe('parseKevText on arbitrary input', () => {
  it('throws only UfError for random text and JSON', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), fc.string({ unit: 'binary' })), expectOnlyUfErrors), { numRuns: 500 });
  });

  it('throws only UfError for truncated and spliced copies of a catalog', () => {
    const damaged = fc.oneof(
      fc.nat({ max: sample.length }).map((end) => sample.slice(0, end)),
      fc
        .tuple(fc.nat({ max: sample.length }), fc.constantFrom('"', '{', ']', ',', 'null', '[]', '{}', '1'))
        .map(([at, inserted]) => sample.slice(0, at) + inserted + sample.slice(at)),
    );
    fc.assert(fc.property(damaged, expectOnlyUfErrors), { numRuns: 500 });
  });

  it('reports entries with random field values without throwing', () => {
    const entries = fc.array(fc.dictionary(fc.constantFrom('cveID', 'dateAdded', 'dueDate', 'cwes', 'product', 'notes'), fc.jsonValue()), { maxLength: 5 });
    fc.assert(
      fc.property(entries, (vulnerabilities) => {
        const text = JSON.stringify({ catalogVersion: '1', dateReleased: 'x', count: vulnerabilities.length, vulnerabilities });
        const catalog = parseKevText(text, 'kev.json');
        expect(catalog.entries.size + catalog.errors.length).toBeGreaterThanOrEqual(vulnerabilities.length);
      }),
      { numRuns: 300 },
    );
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catchUfError } from '../../../../test/helpers/errors.js';
import { parseOsvText } from '../../osv/parse.js';
import { sharedData } from '../../../../test/helpers/shared-data.js';
import { loadKev, parseKevText } from './index.js';

const kev = sharedData('kev');
const realAdvisories = sharedData('osv/advisories');
const kevFile = kev.path('known_exploited_vulnerabilities.json');

describe.skipIf(!kev.available)(`the real KEV catalog${kev.skipNote}`, () => {
  // Counted independently: `jq '.vulnerabilities | length'` and Python's len() both give 1404, of
  // which 293 have knownRansomwareCampaignUse "Known".
  it('reads all 1404 entries without a problem', async () => {
    const catalog = await loadKev(kevFile);
    expect(catalog).toMatchObject({ catalogVersion: '2025.08.25', dateReleased: '2025-08-25T17:04:19.9796Z', count: 1404, errors: [] });
    expect(catalog.entries.size).toBe(1404);
    expect([...catalog.entries.values()].filter((entry) => entry.knownRansomware)).toHaveLength(293);
  });

  it('has Log4Shell as CISA lists it', async () => {
    const catalog = await loadKev(kevFile);
    expect(catalog.entries.get('CVE-2021-44228')).toEqual({
      cveID: 'CVE-2021-44228',
      vendorProject: 'Apache',
      product: 'Log4j2',
      vulnerabilityName: 'Apache Log4j2 Remote Code Execution Vulnerability',
      dateAdded: '2021-12-10',
      dueDate: '2021-12-24',
      shortDescription: expect.stringContaining('JNDI') as unknown,
      requiredAction: expect.stringContaining('Apply updates') as unknown,
      knownRansomwareCampaignUse: 'Known',
      knownRansomware: true,
      notes: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228',
      cwes: ['CWE-20', 'CWE-400', 'CWE-502'],
    });
  });

  it.skipIf(!realAdvisories.available)(`joins with the shared advisories through their aliases on exactly the three README names${realAdvisories.skipNote}`, async () => {
    const catalog = await loadKev(kevFile);
    const aliases = readdirSync(realAdvisories.dir)
      .filter((name) => name.endsWith('.json'))
      .flatMap((name) => parseOsvText(readFileSync(realAdvisories.path(name), 'utf8'), name).flatMap((a) => a.aliases));
    expect(aliases.filter((alias) => catalog.entries.has(alias)).sort()).toEqual(['CVE-2021-44228', 'CVE-2021-45046', 'CVE-2022-22965']);
  });
});

const entry = (cveID: string, overrides: Record<string, unknown> = {}) => ({
  cveID,
  vendorProject: 'Vendor',
  product: 'Product',
  vulnerabilityName: 'A vulnerability',
  dateAdded: '2024-01-02',
  shortDescription: 'Something bad.',
  requiredAction: 'Apply updates.',
  dueDate: '2024-01-23',
  ...overrides,
});

const catalogText = (vulnerabilities: unknown[], count = vulnerabilities.length) =>
  JSON.stringify({ catalogVersion: '2024.01.02', dateReleased: '2024-01-02T00:00:00Z', count, vulnerabilities }, null, 2);

describe('parseKevText', () => {
  it('reports a bad entry by CVE, path and line, and keeps the others', () => {
    const text = catalogText([entry('CVE-2024-0001'), entry('CVE-2024-0002', { dueDate: 'soon' }), entry('CVE-2024-0003')]);
    const catalog = parseKevText(text, 'kev.json');
    expect([...catalog.entries.keys()]).toEqual(['CVE-2024-0001', 'CVE-2024-0003']);
    expect(catalog.errors).toHaveLength(1);
    const line = text.split('\n').findIndex((l) => l.includes('"soon"')) + 1;
    expect(catalog.errors[0]).toMatchObject({ code: 'import_invalid', location: { file: 'kev.json', record: 'CVE-2024-0002', path: 'vulnerabilities[1].dueDate', line } });
  });

  it('refuses a date that has the shape but no day on the calendar, and counts every rejected entry', () => {
    const catalog = parseKevText(catalogText([entry('CVE-2024-0001', { dateAdded: '2024-02-30' }), entry('CVE-2024-0002', { dueDate: '2024-13-01' }), entry('CVE-2024-0003'), entry('CVE-2024-0003')]), 'kev.json');
    expect([...catalog.entries.keys()]).toEqual(['CVE-2024-0003']);
    expect(catalog.errors.map((e) => e.describe())).toEqual([
      expect.stringMatching(/^kev\.json:\d+:\d+: CVE-2024-0001: vulnerabilities\[0\]\.dateAdded: not a valid KEV entry: expected a real calendar date/),
      expect.stringMatching(/CVE-2024-0002: vulnerabilities\[1\]\.dueDate: not a valid KEV entry: expected a real calendar date/),
      expect.stringContaining('twice'),
    ]);
    expect(catalog.invalid).toBe(3);
  });

  it('names an entry without a CVE id by its place', () => {
    const catalog = parseKevText(catalogText([{ product: 'x' }]), 'kev.json');
    expect(catalog.errors[0]?.location).toMatchObject({ record: 'vulnerabilities[0]', path: 'vulnerabilities[0].cveID' });
  });

  it('keeps the first of two entries for one CVE, and says so', () => {
    const catalog = parseKevText(catalogText([entry('CVE-2024-0001'), entry('CVE-2024-0001', { product: 'Other' })]), 'kev.json');
    expect(catalog.entries.get('CVE-2024-0001')?.product).toBe('Product');
    expect(catalog.errors[0]?.message).toContain('twice');
  });

  it('reads absent optional fields as Unknown ransomware use and no CWEs', () => {
    const catalog = parseKevText(catalogText([entry('CVE-2024-0001')]), 'kev.json');
    expect(catalog.entries.get('CVE-2024-0001')).toMatchObject({ knownRansomwareCampaignUse: 'Unknown', knownRansomware: false, cwes: [] });
  });

  it('notes a count that does not match the entries', () => {
    const catalog = parseKevText(catalogText([entry('CVE-2024-0001')], 2), 'kev.json');
    expect(catalog.errors[0]).toMatchObject({ location: { path: 'count' }, message: 'the catalog says it has 2 entries but lists 1' });
  });

  it('throws for a document that is not a catalog, or not JSON', () => {
    expect(catchUfError(() => parseKevText('{"vulnerabilities": []}', 'kev.json'))).toMatchObject({ code: 'import_invalid', location: { path: 'catalogVersion' } });
    expect(catchUfError(() => parseKevText('{"catalogVersion": ', 'kev.json'))).toMatchObject({ code: 'parse_error', location: { line: 1 } });
  });

  it('throws not_found for a missing file', async () => {
    await expect(loadKev('/nonexistent/kev.json')).rejects.toMatchObject({ code: 'not_found' });
  });
});

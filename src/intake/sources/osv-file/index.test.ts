import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { advisoriesOf, collect, errorsOf, runAdvisorySourceContract } from '../advisory-source.contract.js';
import { sharedData } from '../../../../test/helpers/shared-data.js';

const realAdvisories = sharedData('osv/advisories');
import { OsvFileSource } from './index.js';

const work = await mkdtemp(path.join(tmpdir(), 'uf-osv-file-'));
afterAll(() => rm(work, { recursive: true, force: true }));

let files = 0;
async function fileWith(text: string): Promise<string> {
  files += 1;
  const file = path.join(work, `doc-${files}.json`);
  await writeFile(file, text);
  return file;
}

runAdvisorySourceContract('osv-file (a JSON array)', async (records) => new OsvFileSource(await fileWith(JSON.stringify(records, null, 2))));

describe('osv-file', () => {
  it('reads a file holding one record', async () => {
    const file = await fileWith('{"id": "GHSA-1", "modified": "2024-01-01T00:00:00Z"}');
    const events = await collect(new OsvFileSource(file));
    expect(events).toMatchObject([{ type: 'advisory', advisory: { id: 'GHSA-1' }, location: { file, record: 'GHSA-1' } }]);
  });

  it('reports malformed JSON as one error event with its line, not a thrown error', async () => {
    const file = await fileWith('[\n  {"id": "GHSA-1",\n');
    const errors = errorsOf(await collect(new OsvFileSource(file)));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'parse_error', location: { file, line: 3 } });
  });

  it('throws not_found for a missing file', async () => {
    await expect(collect(new OsvFileSource(path.join(work, 'missing.json')))).rejects.toMatchObject({ code: 'not_found' });
  });

  it.skipIf(!realAdvisories.available)(`reads a real advisory${realAdvisories.skipNote}`, async () => {
    const file = realAdvisories.path('GHSA-36p3-wjmg-h94x.json');
    const [advisory] = advisoriesOf(await collect(new OsvFileSource(file)));
    expect(advisory?.aliases).toEqual(['CVE-2022-22965']);
    expect(advisory?.affected).toHaveLength(10);
    expect(new Set(advisory?.affected.map((entry) => entry.package?.name)).size).toBe(5);
  });
});

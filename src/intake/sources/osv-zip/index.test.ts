import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { advisoriesOf, collect, errorsOf, runAdvisorySourceContract, writeZip } from '../advisory-source.contract.js';
import { sharedData } from '../../../../test/helpers/shared-data.js';
import { OsvZipSource } from './index.js';

const work = await mkdtemp(path.join(tmpdir(), 'uf-osv-zip-'));
afterAll(() => rm(work, { recursive: true, force: true }));

let archives = 0;
async function zipOf(entries: { name: string; data: string | Buffer }[]): Promise<string> {
  archives += 1;
  const file = path.join(work, `all-${archives}.zip`);
  await writeZip(file, entries);
  return file;
}

runAdvisorySourceContract('osv-zip (one entry per record)', async (records) =>
  new OsvZipSource(await zipOf(records.map((record, index) => ({ name: `R${index}.json`, data: JSON.stringify(record) })))),
);

const realAdvisories = sharedData('osv/advisories');

describe.skipIf(!realAdvisories.available)(`osv-zip on an all.zip of the 41 real advisories${realAdvisories.skipNote}`, () => {
  it('ingests the 41 and reports the malformed entry by archive and entry name', async () => {
    const names = (await readdir(realAdvisories.dir)).filter((name) => name.endsWith('.json')).sort();
    const entries: { name: string; data: string | Buffer }[] = await Promise.all(
      names.map(async (name) => ({ name, data: await readFile(realAdvisories.path(name)) })),
    );
    entries.splice(20, 0, { name: 'GHSA-zzzz-zzzz-zzzz.json', data: '{"id": "GHSA-zzzz-zzzz-zzzz", "modified": "2024-01-01T00:00:00Z",' });
    entries.push({ name: 'README.txt', data: 'not a record' });
    const file = await zipOf(entries);

    const progress: [number, number | undefined][] = [];
    const events = await collect(new OsvZipSource(file), { onProgress: (done, total) => progress.push([done, total]) });
    const advisories = advisoriesOf(events);
    expect(advisories).toHaveLength(41);
    expect(advisories.map((a) => `${a.id}.json`)).toEqual(names);
    const errors = errorsOf(events);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'parse_error', location: { file: `${file}!/GHSA-zzzz-zzzz-zzzz.json`, line: 1 } });
    expect(progress.at(-1)).toEqual([43, 43]);
    const log4shell = advisories.find((a) => a.id === 'GHSA-jfh8-c2jp-5v3q');
    expect(log4shell?.aliases).toEqual(['CVE-2021-44228']);
  });
});

describe('osv-zip', () => {
  it('throws import_invalid for a file that is not a zip archive', async () => {
    const file = path.join(work, 'fake.zip');
    await writeFile(file, '{"id": "GHSA-1"}');
    await expect(collect(new OsvZipSource(file))).rejects.toMatchObject({ code: 'import_invalid', location: { file } });
  });

  it('throws import_invalid for a truncated archive', async () => {
    const whole = await readFile(await zipOf([{ name: 'A.json', data: '{}' }, { name: 'B.json', data: '{}' }]));
    const file = path.join(work, 'truncated.zip');
    await writeFile(file, whole.subarray(0, whole.length - 30));
    await expect(collect(new OsvZipSource(file))).rejects.toMatchObject({ code: 'import_invalid' });
  });

  it('throws not_found for a missing archive', async () => {
    await expect(collect(new OsvZipSource(path.join(work, 'none.zip')))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('reports an entry that is not UTF-8 and reads the next one', async () => {
    const file = await zipOf([
      { name: 'A.json', data: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) },
      { name: 'B.json', data: '{"id": "GHSA-2", "modified": "2024-01-01T00:00:00Z"}' },
    ]);
    const events = await collect(new OsvZipSource(file));
    expect(events.map((event) => event.type)).toEqual(['error', 'advisory']);
    expect(errorsOf(events)[0]).toMatchObject({ code: 'parse_error', location: { file: `${file}!/A.json` } });
  });
});

import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { advisoriesOf, collect, errorsOf, runAdvisorySourceContract } from '../advisory-source.contract.js';
import { sharedData } from '../../../../test/helpers/shared-data.js';
import { OsvFolderSource } from './index.js';

const work = await mkdtemp(path.join(tmpdir(), 'uf-osv-folder-'));
afterAll(() => rm(work, { recursive: true, force: true }));

let folders = 0;
runAdvisorySourceContract('osv-folder (one file per record, nested)', async (records) => {
  folders += 1;
  const folder = path.join(work, `contract-${folders}`);
  await mkdir(path.join(folder, 'nested'), { recursive: true });
  await Promise.all(records.map((record, index) => writeFile(path.join(folder, index % 2 ? 'nested' : '', `r${index}.json`), JSON.stringify(record))));
  return new OsvFolderSource(folder);
});

const realAdvisories = sharedData('osv/advisories');

describe.skipIf(!realAdvisories.available)(`osv-folder on the 41 real advisories${realAdvisories.skipNote}`, () => {
  it('ingests the 41 advisories and reports the broken file by its path', async () => {
    const folder = path.join(work, 'real');
    const names = (await readdir(realAdvisories.dir)).filter((name) => name.endsWith('.json'));
    await mkdir(path.join(folder, 'by-year', '2024'), { recursive: true });
    await mkdir(path.join(folder, '.git'), { recursive: true });
    await Promise.all(names.map((name, index) => copyFile(realAdvisories.path(name), path.join(folder, index % 3 ? 'by-year/2024' : '', name))));
    const broken = path.join(folder, 'by-year', 'GHSA-broken.json');
    await writeFile(broken, '{"id": "GHSA-broken", "modified": ');
    await writeFile(path.join(folder, '.git', 'HEAD.json'), 'not read');
    await writeFile(path.join(folder, 'index.csv'), 'id\n');

    const events = await collect(new OsvFolderSource(folder));
    expect(advisoriesOf(events)).toHaveLength(41);
    expect(new Set(advisoriesOf(events).map((a) => a.id)).size).toBe(41);
    const errors = errorsOf(events);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'parse_error', location: { file: broken, line: 1 } });
  });
});

describe('osv-folder', () => {
  it('throws not_found for a missing folder', async () => {
    await expect(collect(new OsvFolderSource(path.join(work, 'missing')))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('reads an empty folder as no events', async () => {
    const folder = path.join(work, 'empty');
    await mkdir(folder);
    expect(await collect(new OsvFolderSource(folder))).toEqual([]);
  });
});

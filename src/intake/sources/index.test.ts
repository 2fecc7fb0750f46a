import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { catchUfError } from '../../../test/helpers/errors.js';
import { advisorySourceFor, detectSourceKind, OsvFileSource, OsvFolderSource, OsvHttpSource, OsvZipSource } from './index.js';

const work = await mkdtemp(path.join(tmpdir(), 'uf-sources-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const folder = path.join(work, 'advisories');
const file = path.join(work, 'GHSA-1.json');
const zip = path.join(work, 'all.zip');
await mkdir(folder);
await writeFile(file, '{}');
await writeFile(zip, '');

describe('advisorySourceFor', () => {
  it('chooses the adapter from the spec', () => {
    expect(advisorySourceFor(folder)).toBeInstanceOf(OsvFolderSource);
    expect(advisorySourceFor(file)).toBeInstanceOf(OsvFileSource);
    expect(advisorySourceFor(zip)).toBeInstanceOf(OsvZipSource);
    expect(advisorySourceFor(pathToFileURL(zip))).toBeInstanceOf(OsvZipSource);
    expect(advisorySourceFor('https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip', { cacheDir: work })).toBeInstanceOf(OsvHttpSource);
    expect(advisorySourceFor(new URL('http://127.0.0.1:1/x.json'), { cacheDir: work }).name).toBe('osv-http:http://127.0.0.1:1/x.json');
  });

  it('names each source by kind and place', () => {
    expect(detectSourceKind(`file://${folder}`)).toEqual({ kind: 'osv-folder', target: folder });
    expect(advisorySourceFor(file).name).toBe(`osv-file:${file}`);
  });

  it('says what is wrong with a spec it cannot serve', () => {
    expect(catchUfError(() => advisorySourceFor(path.join(work, 'missing')))).toMatchObject({ code: 'not_found' });
    expect(catchUfError(() => advisorySourceFor('ftp://example.org/all.zip'))).toMatchObject({ code: 'usage' });
    expect(catchUfError(() => advisorySourceFor('https://example.org/all.zip')).message).toBe('an HTTP advisory source needs a cache directory');
  });
});

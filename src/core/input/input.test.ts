import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { catchUfError } from '../../../test/helpers/errors.js';
import {
  collectInput,
  decodeInputText,
  firstInvalidUtf8,
  gunzipInputSync,
  inputLimit,
  limitsFromEnv,
  parseByteSize,
  readInput,
  readInputSync,
  type InputLimit,
} from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'uf-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MiB = 1024 * 1024;

describe('bounded reads', () => {
  it('refuses a 300 MB (sparse) file from its size, at once and without reading it', async () => {
    const file = join(dir, 'huge.json');
    writeFileSync(file, '');
    truncateSync(file, 300 * MiB);
    const before = process.memoryUsage().rss;
    const error = catchUfError(() => readInputSync(file, inputLimit('inventory')));
    expect(error).toMatchObject({ code: 'input_too_large', location: { file } });
    expect(error.message).toBe(
      'the file is 300 MiB (314572800 bytes), more than the 256 MiB limit for inventory input; if the file is genuine, raise limits.inventory in factory.yaml or UF_LIMIT_INVENTORY',
    );
    await expect(readInput(file, inputLimit('catalog'))).rejects.toMatchObject({ code: 'input_too_large' });
    // Loose on purpose: a read of the file would have cost 300 MB.
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * MiB);
  });

  it('counts while reading, so an input with no size (a device, a pipe) stops at the limit', async () => {
    const limit: InputLimit = { kind: 'kev', maxBytes: 3 * MiB };
    expect(catchUfError(() => readInputSync('/dev/zero', limit, 'kev.json'))).toMatchObject({
      code: 'input_too_large',
      message: expect.stringContaining('the file grew past the 3 MiB limit for kev input'),
      location: { file: 'kev.json' },
    });
    await expect(readInput('/dev/zero', limit)).rejects.toMatchObject({ code: 'input_too_large' });
  });

  it('reads a file at the limit whole, and lets system errors through for the caller to word', async () => {
    const file = join(dir, 'exact.txt');
    writeFileSync(file, 'x'.repeat(1000));
    expect(readInputSync(file, { kind: 'catalog', maxBytes: 1000 }).length).toBe(1000);
    expect((await readInput(file, { kind: 'catalog', maxBytes: 1000 })).length).toBe(1000);
    expect(() => readInputSync(join(dir, 'missing'), inputLimit('catalog'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

describe('bounded decompression', () => {
  const bomb = gzipSync(Buffer.alloc(100 * MiB)); // about 100 KB on disk

  it('stops inflating a gzip bomb at the limit', () => {
    expect(bomb.length).toBeLessThan(MiB);
    const error = catchUfError(() => gunzipInputSync(bomb, inputLimit('epss'), 'epss.csv.gz'));
    expect(error).toMatchObject({ code: 'input_too_large', location: { file: 'epss.csv.gz' } });
    expect(error.message).toContain('the data inflates past the 64 MiB limit for epss input');
    expect(gunzipInputSync(gzipSync('cve,epss,percentile\n'), inputLimit('epss'), 'x').toString()).toBe('cve,epss,percentile\n');
    expect(catchUfError(() => gunzipInputSync(bomb.subarray(0, 100), inputLimit('epss'), 'x')).code).toBe('parse_error');
  });

  it('stops a stream (a zip entry, a decompressor) as soon as it passes the limit', async () => {
    const stream = Readable.from([bomb]).pipe(createGunzip());
    await expect(collectInput(stream, { kind: 'advisory', maxBytes: 2 * MiB }, 'all.zip!/X.json', 'the zip entry inflates past')).rejects.toMatchObject({
      code: 'input_too_large',
      message: expect.stringContaining('the zip entry inflates past the 2 MiB limit for advisory input'),
    });
    expect(stream.destroyed).toBe(true);
  });
});

describe('the one text rule', () => {
  it('drops a byte-order mark', () => {
    expect(decodeInputText(Buffer.from('\uFEFF{"a":1}'), 'f.json')).toBe('{"a":1}');
    expect(decodeInputText(Buffer.from('plain é'), 'f.txt')).toBe('plain é');
  });

  it('refuses bytes that are not UTF-8, naming the file, the byte offset and the line', () => {
    const bytes = Buffer.concat([Buffer.from('line one\nline two é '), Buffer.from([0xc3, 0x28]), Buffer.from(' rest')]);
    const error = catchUfError(() => decodeInputText(bytes, 'notes.md'));
    expect(error).toMatchObject({ code: 'parse_error', location: { file: 'notes.md', line: 2 } });
    expect(error.message).toBe('not UTF-8 text: invalid byte 0xc3 at byte offset 21');
    expect(catchUfError(() => decodeInputText(Buffer.from([0xff, 0xfe, 0x7b, 0x00]), 'bom16.json')).message).toContain('looks like UTF-16');
  });

  it('finds the same invalid sequences as the WHATWG decoder, at the first bad byte', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    const samples = [
      [0xe0, 0x80, 0x80], // overlong
      [0xed, 0xa0, 0x80], // surrogate
      [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
      [0xf0, 0x9f, 0x98], // truncated
      [0xc0, 0xaf],
      [0x80],
      [0xf0, 0x9f, 0x98, 0x80], // valid emoji
      [0xe2, 0x82, 0xac], // valid euro sign
    ];
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
    for (let n = 0; n < 2000; n++) samples.push(Array.from({ length: 1 + (n % 9) }, () => (n % 3 === 0 ? random() : 0x80 | (random() & 0x7f))));
    for (const sample of samples) {
      const bytes = Uint8Array.from([0x61, ...sample, 0x62]);
      const offset = firstInvalidUtf8(bytes);
      let valid = true;
      try {
        strict.decode(bytes);
      } catch {
        valid = false;
      }
      expect(offset === undefined, `bytes ${sample.join(',')}`).toBe(valid);
      if (offset !== undefined) expect(() => strict.decode(bytes.subarray(0, offset))).not.toThrow();
    }
  });
});

describe('limit settings', () => {
  it('reads sizes with units and the environment overrides', () => {
    expect(parseByteSize('256MiB')).toBe(256 * MiB);
    expect(parseByteSize('300 MB')).toBe(300_000_000);
    expect(parseByteSize('1024')).toBe(1024);
    expect(parseByteSize('lots')).toBeUndefined();
    expect(parseByteSize('0')).toBeUndefined();
    expect(limitsFromEnv({ UF_LIMIT_RELEASE_NOTES: '1GiB', UF_LIMIT_CONFIG: '1KiB', OTHER: 'x' })).toEqual({ releaseNotes: 1024 * MiB, config: 1024 });
    expect(catchUfError(() => limitsFromEnv({ UF_LIMIT_EPSS: 'big' }))).toMatchObject({ code: 'usage', message: expect.stringContaining('UF_LIMIT_EPSS=big') });
  });
});

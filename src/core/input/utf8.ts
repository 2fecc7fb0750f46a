import { isUtf8 } from 'node:buffer';
import { UfError } from '../errors.js';
import { stripBom } from '../json-text.js';

/**
 * The one rule for text input: UTF-8, with a leading byte-order mark accepted and dropped. Bytes
 * that are not UTF-8 are refused with the file and the byte offset of the first bad sequence, in
 * every reader alike: decoding them lossily would store U+FFFD in names and versions silently.
 */
export function decodeInputText(bytes: Uint8Array, file: string): string {
  if (!isUtf8(bytes)) throw invalidUtf8(bytes, file);
  let text: string;
  try {
    text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  } catch (error) {
    // Past V8's longest string (about 512 MiB): only reachable when a limit was raised that far.
    throw new UfError('input_too_large', `too large to hold as text (${bytes.byteLength} bytes)`, { file }, { cause: error });
  }
  return stripBom(text);
}

function invalidUtf8(bytes: Uint8Array, file: string): UfError {
  const offset = firstInvalidUtf8(bytes) ?? 0;
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  const hint = utf16 ? '; the file looks like UTF-16: save it as UTF-8' : '';
  const byte = (bytes[offset] ?? 0).toString(16).padStart(2, '0');
  return new UfError('parse_error', `not UTF-8 text: invalid byte 0x${byte} at byte offset ${offset}${hint}`, { file, line });
}

/**
 * Offset of the first byte that starts an invalid UTF-8 sequence (overlong forms, surrogates and
 * code points past U+10FFFF included, as the WHATWG decoder sees them), or undefined when valid.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b === 0xe0) [need, low] = [2, 0xa0];
    else if (b === 0xed) [need, high] = [2, 0x9f];
    else if (b >= 0xe1 && b <= 0xef) need = 2;
    else if (b === 0xf0) [need, low] = [3, 0x90];
    else if (b === 0xf4) [need, high] = [3, 0x8f];
    else if (b >= 0xf1 && b <= 0xf3) need = 3;
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const lo = k === 1 ? low : 0x80;
      const hi = k === 1 ? high : 0xbf;
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return undefined;
}

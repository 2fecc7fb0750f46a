import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { UfError } from '../errors.js';
import { formatBytes, limitSetting, type InputLimit } from './limits.js';
import { decodeInputText } from './utf8.js';

const chunkBytes = 1024 * 1024;

/**
 * A regular file is read in one chunk of its size plus one byte (the extra byte, and a second read
 * returning nothing, show it did not grow); a pipe or device in 1 MiB chunks. Never past the limit
 * plus the one byte that tells the limit was passed.
 */
function nextChunkSize(stat: { isFile(): boolean; size: number }, total: number, limit: InputLimit): number {
  const left = limit.maxBytes + 1 - total;
  if (total === 0 && stat.isFile()) return Math.min(stat.size + 1, left);
  return Math.min(chunkBytes, left);
}

/** The error every reader gives past its limit: the file, its size when known, the limit and how to raise it. */
export function tooLarge(limit: InputLimit, file: string, detail: string): UfError {
  const message = `${detail} the ${formatBytes(limit.maxBytes)} limit for ${limit.kind} input; if the file is genuine, raise ${limitSetting(limit.kind)}`;
  return new UfError('input_too_large', message, { file });
}

function sizeError(limit: InputLimit, file: string, size: number): UfError {
  return tooLarge(limit, file, `the file is ${formatBytes(size)} (${size} bytes), more than`);
}

/**
 * The bytes of `file`, at most `limit.maxBytes` of them. The size is checked before reading (a
 * regular file past the limit costs one stat) and counted while reading, since a pipe has no size
 * and a file can grow. Past the limit: UfError `input_too_large`. Failures to open or read are
 * thrown as the system's errors, for the caller to word.
 */
export function readInputSync(file: string, limit: InputLimit, label = file): Buffer {
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.size > limit.maxBytes) throw sizeError(limit, label, stat.size);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(nextChunkSize(stat, total, limit));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      total += read;
      if (total > limit.maxBytes) throw tooLarge(limit, label, 'the file grew past');
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
      if (stat.isFile() && read < chunk.length) break; // a short read of a regular file is its end
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** `readInputSync`, without blocking the event loop; `signal` stops it between chunks. */
export async function readInput(file: string, limit: InputLimit, options: { label?: string; signal?: AbortSignal } = {}): Promise<Buffer> {
  const label = options.label ?? file;
  const handle = await open(file, 'r');
  try {
    const stat = await handle.stat();
    if (stat.isFile() && stat.size > limit.maxBytes) throw sizeError(limit, label, stat.size);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      const chunk = Buffer.allocUnsafe(nextChunkSize(stat, total, limit));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit.maxBytes) throw tooLarge(limit, label, 'the file grew past');
      chunks.push(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
      if (stat.isFile() && bytesRead < chunk.length) break; // a short read of a regular file is its end
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

/** A file's text under the one rule (UTF-8, byte-order mark dropped), bounded by `limit`. */
export function readTextInputSync(file: string, limit: InputLimit, label = file): string {
  return decodeInputText(readInputSync(file, limit, label), label);
}

/**
 * The chunks of a stream (a zip entry, a decompressor), refused as soon as they add up past the
 * limit: the stream is destroyed then, so a bomb costs at most the limit in memory and time.
 */
export async function collectInput(
  stream: AsyncIterable<Uint8Array> & { destroy?: (error?: Error) => void },
  limit: InputLimit,
  label: string,
  what = 'the data grew past',
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.byteLength;
    if (total > limit.maxBytes) {
      stream.destroy?.();
      throw tooLarge(limit, label, what);
    }
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks, total);
}

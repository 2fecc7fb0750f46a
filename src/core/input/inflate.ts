import { promisify } from 'node:util';
import { gunzip, gunzipSync } from 'node:zlib';
import { UfError } from '../errors.js';
import { tooLarge } from './read.js';
import type { InputLimit } from './limits.js';

const gunzipAsync = promisify(gunzip);

/** Gzip's magic bytes: inputs are told compressed or plain by content, not by name. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Inflates gzip data, stopping as soon as the output passes `limit.maxBytes` (zlib's
 * `maxOutputLength`): a 500 MB bomb costs the limit's worth of memory and time, not its own.
 * Past the limit: `input_too_large`; damaged data: `parse_error`.
 */
export function gunzipInputSync(bytes: Uint8Array, limit: InputLimit, file: string): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: limit.maxBytes });
  } catch (error) {
    throw inflateError(error, limit, file);
  }
}

export async function gunzipInput(bytes: Uint8Array, limit: InputLimit, file: string): Promise<Buffer> {
  try {
    return await gunzipAsync(bytes, { maxOutputLength: limit.maxBytes });
  } catch (error) {
    throw inflateError(error, limit, file);
  }
}

function inflateError(error: unknown, limit: InputLimit, file: string): UfError {
  if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return tooLarge(limit, file, 'the data inflates past');
  const reason = error instanceof Error ? error.message : String(error);
  return new UfError('parse_error', `damaged gzip data: ${reason}`, { file }, { cause: error });
}

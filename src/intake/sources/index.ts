import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UfError } from '../../core/errors.js';
import { inputLimit, type InputLimits } from '../../core/input/index.js';
import { fileError } from './events.js';
import { OsvFileSource } from './osv-file/index.js';
import { OsvFolderSource } from './osv-folder/index.js';
import { OsvHttpSource } from './osv-http/index.js';
import { OsvZipSource } from './osv-zip/index.js';
import type { AdvisorySource } from './types.js';

export type { AdvisorySource, ReadOptions, SourceEvent, SourceLocation } from './types.js';
export { OsvFileSource } from './osv-file/index.js';
export { OsvFolderSource } from './osv-folder/index.js';
export { OsvHttpSource, type OsvHttpOptions } from './osv-http/index.js';
export { OsvZipSource } from './osv-zip/index.js';
export { fetchToCache, type CachedFetchOptions, type CachedResponse } from './http-cache/index.js';
export { loadKev, parseKevText, type KevCatalog, type KevEntry } from './kev/index.js';
export { loadEpss, parseEpss, type EpssData, type EpssScore } from './epss/index.js';

export type AdvisorySourceKind = 'osv-file' | 'osv-folder' | 'osv-zip' | 'osv-http';

export interface SourceOptions {
  /** Where an HTTP source keeps bodies and validators between runs; required for URLs. */
  cacheDir?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Size limits (`limits` in factory.yaml): `advisory` bounds each OSV document; defaults otherwise. */
  limits?: Partial<InputLimits>;
}

type Factory = (target: string, options: SourceOptions) => AdvisorySource;

/** Every advisory source, by kind: the one place a new adapter is registered. */
const adapters = {
  'osv-file': (file, { limits }) => new OsvFileSource(file, inputLimit('advisory', limits)),
  'osv-folder': (folder, { limits }) => new OsvFolderSource(folder, inputLimit('advisory', limits)),
  'osv-zip': (file, { limits }) => new OsvZipSource(file, inputLimit('advisory', limits)),
  'osv-http': (url, { cacheDir, limits, ...rest }) => {
    if (cacheDir === undefined) throw new UfError('usage', 'an HTTP advisory source needs a cache directory', { file: url });
    return new OsvHttpSource(url, { ...rest, cacheDir, limit: inputLimit('advisory', limits) });
  },
} satisfies Record<AdvisorySourceKind, Factory>;

/**
 * The adapter for a place advisories are: an `http(s)` URL → HTTP (record, array or all.zip); a
 * `*.zip` path → zip export; a folder → every `*.json` in it; any other file → one JSON document.
 * `file:` URLs are paths. A path that does not exist throws `not_found`, another scheme `usage`.
 */
export function advisorySourceFor(spec: string | URL, options: SourceOptions = {}): AdvisorySource {
  const { kind, target } = detectSourceKind(spec);
  return adapters[kind](target, options);
}

export function detectSourceKind(spec: string | URL): { kind: AdvisorySourceKind; target: string } {
  const url = spec instanceof URL ? spec : /^[a-z][a-z0-9+.-]+:\/\//i.test(spec) ? new URL(spec) : undefined;
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return { kind: 'osv-http', target: url.href };
  if (url && url.protocol !== 'file:') {
    throw new UfError('usage', `advisories can be read from files, folders and http(s) URLs, not ${url.protocol}`, { file: url.href });
  }
  const file = url ? fileURLToPath(url) : (spec as string);
  let isFolder: boolean;
  try {
    isFolder = statSync(file).isDirectory();
  } catch (error) {
    throw fileError(error, file);
  }
  if (isFolder) return { kind: 'osv-folder', target: file };
  return { kind: /\.zip$/i.test(file) ? 'osv-zip' : 'osv-file', target: file };
}

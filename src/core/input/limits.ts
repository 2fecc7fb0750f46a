import { UfError } from '../errors.js';

/**
 * How large each kind of input may be before a reader refuses it. Every reader of user or feed
 * input takes one of these, so a wrong file, a truncated download or a decompression bomb stops
 * with a clear error instead of exhausting memory. Sizes count bytes read from disk and, for
 * compressed inputs, bytes after decompression.
 */
export type InputKind = 'config' | 'catalog' | 'inventory' | 'advisory' | 'kev' | 'epss' | 'releaseNotes' | 'endOfLife';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/**
 * Defaults sized from real inputs with room to spare: a large CycloneDX SBOM is 50-100 MB, an npm
 * packument of a busy package tens of MB, the daily EPSS file about 10 MB inflated, the KEV
 * catalog about 1.5 MB, a Backstage catalog file kilobytes. One OSV document (a file, a file in a
 * folder, an all.zip entry, an HTTP body) is usually kilobytes; arrays of records are larger.
 */
export const defaultInputLimits = {
  config: 4 * MiB,
  catalog: 32 * MiB,
  inventory: 256 * MiB,
  advisory: 128 * MiB,
  kev: 64 * MiB,
  epss: 64 * MiB,
  releaseNotes: 128 * MiB,
  endOfLife: 16 * MiB,
} as const satisfies Record<InputKind, number>;

export type InputLimits = Record<InputKind, number>;

/** One reader's bound: the kind names the setting that raises it in every message. */
export interface InputLimit {
  kind: InputKind;
  maxBytes: number;
}

export function inputLimit(kind: InputKind, limits?: Partial<InputLimits>): InputLimit {
  return { kind, maxBytes: limits?.[kind] ?? defaultInputLimits[kind] };
}

/** What a user sets to raise a limit: `limits.<kind>` in factory.yaml, or `UF_LIMIT_<KIND>`. */
export function limitSetting(kind: InputKind): string {
  const env = limitEnvName(kind);
  return kind === 'config' ? env : `limits.${kind} in factory.yaml or ${env}`;
}

/** `releaseNotes` → `UF_LIMIT_RELEASE_NOTES`. */
export function limitEnvName(kind: InputKind): string {
  return `UF_LIMIT_${kind.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

const units: Record<string, number> = { b: 1, kb: 1000, kib: KiB, mb: 1000 * 1000, mib: MiB, gb: 1000 * 1000 * 1000, gib: GiB };

/** `268435456`, `256MiB`, `300 MB`, `1.5GiB` → bytes; undefined when it is not a size. */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return undefined;
  const factor = units[(match[2] ?? '').toLowerCase() || 'b'];
  if (factor === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]) * factor);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/** Bytes for people: `256 MiB`, `1.5 GiB`, `812 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= GiB) return `${trim(bytes / GiB)} GiB`;
  if (bytes >= MiB) return `${trim(bytes / MiB)} MiB`;
  if (bytes >= KiB) return `${trim(bytes / KiB)} KiB`;
  return `${bytes} bytes`;
}

function trim(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/**
 * Limits set through the environment (`UF_LIMIT_INVENTORY=512MiB`): they win over factory.yaml,
 * so a one-off large import needs no edit of the shared config. An unreadable value is refused.
 */
export function limitsFromEnv(env: Record<string, string | undefined>): Partial<InputLimits> {
  const limits: Partial<InputLimits> = {};
  for (const kind of Object.keys(defaultInputLimits) as InputKind[]) {
    const name = limitEnvName(kind);
    const value = env[name];
    if (value === undefined || value === '') continue;
    const bytes = parseByteSize(value);
    if (bytes === undefined) throw new UfError('usage', `${name}=${value} is not a size such as 268435456, 256MiB or 1GiB`);
    limits[kind] = bytes;
  }
  return limits;
}

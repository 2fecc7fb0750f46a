/**
 * Typed errors that know how to present themselves: a stable `code` for scripts, a human message,
 * and where in the input the problem is (file, line, key path, record), so a user can fix it.
 */
export type ErrorCode =
  | 'usage'
  | 'config_invalid'
  | 'parse_error'
  | 'import_invalid'
  | 'not_found'
  | 'conflict'
  | 'gate_refused'
  /** An anti-pattern guard (`guards:` in factory.yaml) refused: the message names the rule, the numbers and the way out. */
  | 'guard_refused'
  | 'illegal_transition'
  | 'unauthorized'
  | 'forbidden'
  | 'store_error'
  /** A source (URL, server) could not be reached or answered with an error. */
  | 'source_unavailable'
  /** An input (file, download, decompressed data) is past its configured size limit. */
  | 'input_too_large';

export interface InputLocation {
  file?: string;
  line?: number;
  column?: number;
  /** Dotted key path inside a structured document, e.g. `components[3].purl`. */
  path?: string;
  /** A record id or name inside a batch, e.g. a Backstage entity ref or a package name. */
  record?: string;
}

/**
 * Exit code a CLI returns for each error: 1 when the thing asked about does not exist (an answer,
 * like a check that found problems); 2 for everything else: bad input, usage, and a job that
 * could not be done (an unreachable source, a refused gate, a store error).
 */
const notFoundErrors: ReadonlySet<ErrorCode> = new Set(['not_found']);

export class UfError extends Error {
  readonly code: ErrorCode;
  readonly location: InputLocation | undefined;

  constructor(code: ErrorCode, message: string, location?: InputLocation, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UfError';
    this.code = code;
    this.location = location;
  }

  get exitCode(): 1 | 2 {
    return notFoundErrors.has(this.code) ? 1 : 2;
  }

  /** One line: `file:line: path: message`, omitting the parts that are unknown. */
  describe(): string {
    return [formatLocation(this.location), this.message].filter((part) => part !== '').join(': ');
  }
}

export function formatLocation(location: InputLocation | undefined): string {
  if (!location) return '';
  const parts: string[] = [];
  if (location.file !== undefined) {
    let place = location.file;
    if (location.line !== undefined) place += `:${location.line}`;
    if (location.line !== undefined && location.column !== undefined) place += `:${location.column}`;
    parts.push(place);
  } else if (location.line !== undefined) {
    parts.push(`line ${location.line}`);
  }
  if (location.record !== undefined) parts.push(location.record);
  if (location.path !== undefined && location.path !== '') parts.push(location.path);
  return parts.join(': ');
}

export function isUfError(error: unknown): error is UfError {
  return error instanceof UfError;
}

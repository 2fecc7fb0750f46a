import { UfError } from '../../core/errors.js';

/** Inputs are echoed in messages; a pasted blob should not flood a terminal. */
const shown = (text: string): string => (text.length > 80 ? `${text.slice(0, 77)}...` : text);

export function invalidVersion(ecosystem: string, version: string, reason?: string): UfError {
  const suffix = reason === undefined ? '' : `: ${reason}`;
  return new UfError('parse_error', `not a valid ${ecosystem} version: "${shown(version)}"${suffix}`);
}

export function invalidRange(ecosystem: string, range: string, reason?: string): UfError {
  const suffix = reason === undefined ? '' : `: ${reason}`;
  return new UfError('parse_error', `not a valid ${ecosystem} range: "${shown(range)}"${suffix}`);
}

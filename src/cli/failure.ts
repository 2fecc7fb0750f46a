import { isUfError } from '../core/errors.js';
import type { ExitCode } from './runtime.js';

/**
 * How a failed command presents itself: one line per problem and its exit code. Typed errors
 * carry their own code; system errors are named by their reason (a missing folder, a port in
 * use) and everything else is "could not do the job" (2). The stack only with --debug.
 */
export function describeFailure(error: unknown, debug: boolean): { lines: string[]; exitCode: ExitCode } {
  const stack = debug && error instanceof Error && error.stack ? [error.stack] : [];
  if (isUfError(error)) return { lines: [...error.describe().split('\n').map((line) => `uf: ${line}`), ...stack], exitCode: error.exitCode };
  const reason = systemReason(error);
  if (reason !== undefined) return { lines: [`uf: ${reason}`, ...stack], exitCode: 2 };
  const message = error instanceof Error ? error.message : String(error);
  return { lines: [`uf: unexpected error: ${firstLine(message)}${debug ? '' : ' (run with --debug for the stack)'}`, ...stack], exitCode: 2 };
}

interface SystemError {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
  address?: string;
  port?: number;
  hostname?: string;
}

function isSystemError(error: unknown): error is SystemError {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

/** Node's errno errors, in words a user can act on; undefined for anything else. */
export function systemReason(error: unknown): string | undefined {
  if (!isSystemError(error)) return undefined;
  const where = error.address !== undefined ? `${error.address}${error.port !== undefined ? `:${error.port}` : ''}` : undefined;
  const path = error.path !== undefined ? `'${error.path}'` : 'a path';
  switch (error.code) {
    case 'ENOENT':
      return `no such file or directory: ${path}${error.syscall === 'open' || error.syscall === 'mkdir' ? ' (does its folder exist?)' : ''}`;
    case 'ENOTDIR':
      return `not a directory: a part of ${path} is a file`;
    case 'EISDIR':
      return `${path} is a directory, a file was expected`;
    case 'EACCES':
    case 'EPERM':
      return where !== undefined ? `permission denied to listen on ${where} (ports below 1024 need privileges)` : `permission denied: ${path}`;
    case 'EROFS':
      return `read-only file system: ${path}`;
    case 'ENOSPC':
      return `no space left on device${error.path !== undefined ? ` writing ${path}` : ''}`;
    case 'EADDRINUSE':
      return `address in use: ${where ?? 'the port'} is taken by another process (choose another port)`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${where ?? 'that address'}: the address does not belong to this machine`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `unknown host${error.hostname !== undefined ? ` '${error.hostname}'` : ''}: it does not resolve to an address`;
    case 'ECONNREFUSED':
      return `connection refused by ${where ?? 'the server'}`;
    default:
      return undefined;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

import type { Output } from './output.js';

/** What a command's action returns: its exit code (0 ok, 1 problems found, 2 bad input, usage, or the job could not be done). */
export type ExitCode = 0 | 1 | 2;

export interface CliRuntime {
  output: Output;
  /** Set by the action that ran. */
  exitCode: ExitCode;
}

/** Wraps an action so that it reports its exit code to the runtime. */
export function action<A extends unknown[]>(runtime: CliRuntime, fn: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const code = await fn(...args);
    runtime.exitCode = code === 0 || code === 1 || code === 2 ? code : 2;
  };
}

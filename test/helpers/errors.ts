import { UfError } from '../../src/core/errors.js';

/** Runs `run` and returns the UfError it throws; fails the test if it throws nothing or something else. */
export function catchUfError(run: () => unknown): UfError {
  try {
    run();
  } catch (error) {
    if (error instanceof UfError) return error;
    throw error;
  }
  throw new Error('expected a UfError, but nothing was thrown');
}

import { sharedDataRoot } from './helpers/shared-data.js';
import { existsSync } from 'node:fs';

/** Says once, at the top of the run, why the suites that need the shared test data are skipped. */
export default function announceSharedData(): void {
  if (existsSync(sharedDataRoot)) return;
  console.warn(`note: shared test data not found at ${sharedDataRoot}: the suites that need it are skipped (their names say so); set UF_SHARED_DATA to run them`);
}

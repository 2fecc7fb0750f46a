import { checkKnown } from '../core/known-names.js';
import type { Db } from '../store/db.js';
import { knownServices } from '../store/repos/names.js';

/**
 * A `service` filter naming no known service is a 404 with the close names, never an empty page
 * that reads as "nothing here" (the same rule as the CLI's `--service`).
 */
export async function requireKnownService(db: Db, service: string | undefined): Promise<void> {
  if (service === undefined) return;
  checkKnown('service', 'service', service, await knownServices(db));
}

import type { ChangeDeps } from '../governance/changes/service.js';
import type { AppRoot } from './root.js';

/** The change-record use cases' dependencies from the composition root. */
export function changeDeps(root: Pick<AppRoot, 'store' | 'loaded'>): ChangeDeps {
  return { store: root.store, policy: root.loaded.config.changes };
}

import type { ChangeDeps } from '../governance/changes/service.js';
import type { AppRoot } from './root.js';

/** The change-record use cases' dependencies from the composition root; their decisions go on the event bus. */
export function changeDeps(root: Pick<AppRoot, 'store' | 'loaded'> & Partial<Pick<AppRoot, 'events'>>): ChangeDeps {
  const events = root.events;
  return { store: root.store, policy: root.loaded.config.changes, ...(events ? { announce: (event) => events.publish({ type: 'change.updated', ...event }) } : {}) };
}

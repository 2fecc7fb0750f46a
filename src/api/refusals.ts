import type { Store } from '../store/open.js';
import { appendLog } from '../store/repos/operation-log.js';

/**
 * Records refused requests (unknown, expired or revoked tokens; wrong roles) in the operation
 * log, so an auditor sees who tried what. A flood of refusals must not flood the log: the same
 * actor, kind and route is recorded at most once a minute per process, the next entry saying how
 * many were refused in between. Recording never delays or fails the refused request.
 */
export class RefusalRecorder {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly store: Store,
    private readonly everyMs = 60_000,
  ) {}

  record(refusal: { actor: string; kind: string; route: string; detail: string; from: string }): void {
    const now = this.store.clock.now();
    const key = `${refusal.actor}\u0000${refusal.kind}\u0000${refusal.route}`;
    const seen = this.last.get(key);
    if (seen && now.getTime() - seen.at < this.everyMs) {
      seen.suppressed++;
      return;
    }
    const suppressed = seen?.suppressed ?? 0;
    this.last.set(key, { at: now.getTime(), suppressed: 0 });
    if (this.last.size > 10_000) this.last.delete(this.last.keys().next().value!);
    const reason = `${refusal.detail} (from ${refusal.from}${suppressed ? `; ${suppressed} more refused since the last entry` : ''})`;
    void this.store.db
      .transaction()
      .execute((trx) => appendLog(trx, [{ actor: refusal.actor, action: `auth.refused.${refusal.kind}`, subject: refusal.route, reason, evidenceRef: null }], now))
      .catch(() => undefined);
  }
}

import { randomUUID } from 'node:crypto';

/** Ids are prefixed UUIDs so a reader can tell an upgrade id from a token id at a glance. */
export type IdPrefix = 'upg' | 'tok' | 'imp' | 'rsk' | 'run' | 'rol' | 'cmp' | 'wvr' | 'chg' | 'apr' | 'ckp' | 'ntf' | 'nta' | 'drl' | 'ack' | 'rev' | 'act';

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}

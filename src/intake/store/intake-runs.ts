import { newId } from '../../core/ids.js';
import { z } from 'zod';
import type { Db, Tx } from '../../store/db.js';
import type { EolFlag } from '../pipeline/end-of-life.js';

/** One finished intake run: when, by whom, the fingerprint of what it read, and its summary as JSON. */
export interface IntakeRunRecord {
  startedAt: Date;
  finishedAt: Date;
  actor: string;
  fingerprint: string;
  summary: string;
}

/** The fingerprint and stored summary of the last finished run, if any. */
export async function lastIntakeRun(db: Db): Promise<{ fingerprint: string; summary: string } | undefined> {
  return db.selectFrom('intake_runs').select(['fingerprint', 'summary']).orderBy('finished_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
}

export async function recordIntakeRun(trx: Tx, run: IntakeRunRecord): Promise<void> {
  await trx
    .insertInto('intake_runs')
    .values({ id: newId('run'), started_at: run.startedAt.toISOString(), finished_at: run.finishedAt.toISOString(), actor: run.actor, fingerprint: run.fingerprint, summary: run.summary })
    .execute();
}

/** The store's side of the intake fingerprint: inventories, catalog and upgrades, by their newest change and count. */
export async function storedInputMarks(db: Db): Promise<string> {
  const imports = await db.selectFrom('inventory_imports').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('imported_at').as('last')]).executeTakeFirst();
  const catalog = await db.selectFrom('catalog_entities').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('imported_at').as('last')]).executeTakeFirst();
  const upgrades = await db.selectFrom('upgrades').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('last')]).executeTakeFirst();
  return JSON.stringify([imports, catalog, upgrades]);
}

/** End-of-support flags as the last finished intake run found them (see `endOfLifeFlags`), with when it finished. */
export interface StoredEndOfLife {
  checkedAt: string;
  flags: EolFlag[];
}

const storedFlagsSchema = z.object({
  endOfLife: z
    .array(
      z.object({
        component: z.string(),
        version: z.string(),
        cycle: z.string(),
        eol: z.string(),
        daysLeft: z.number(),
        status: z.enum(['past', 'near']),
        services: z.array(z.string()),
      }),
    )
    .default([]),
});

/** The last run's end-of-support flags; undefined when intake never ran. A summary written before flags existed reads as none. */
export async function lastEndOfLife(db: Db): Promise<StoredEndOfLife | undefined> {
  const row = await db.selectFrom('intake_runs').select(['finished_at', 'summary']).orderBy('finished_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  if (!row) return undefined;
  const parsed = storedFlagsSchema.safeParse(JSON.parse(row.summary));
  return { checkedAt: row.finished_at, flags: parsed.success ? parsed.data.endOfLife : [] };
}

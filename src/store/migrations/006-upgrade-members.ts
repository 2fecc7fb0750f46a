import type { Kysely } from 'kysely';

/**
 * Packages released together (a release train, a monorepo) move as one upgrade: `members` holds
 * each package with its own current and target versions, as JSON. `[]` means the upgrade is the
 * one package its `ecosystem`, `name` and `purl` columns name, as every upgrade was before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('upgrades').addColumn('members', 'text', (c) => c.notNull().defaultTo('[]')).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('upgrades').dropColumn('members').execute();
}

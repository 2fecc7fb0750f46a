import type { Kysely } from 'kysely';

/**
 * Identities (issue 11): the people tokens speak for, with their teams (the owners named in the
 * service map) and whether they are disabled; tokens gain an expiry, the token that replaced them
 * on rotation, and who revoked them and why.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('display_name', 'text')
    .addColumn('email', 'text')
    /** JSON array of team names as the service map spells owners (`payments`, `group:default/payments`). */
    .addColumn('teams', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    /** A disabled person's tokens stop working at once; the row stays for the audit trail. */
    .addColumn('disabled_at', 'text')
    .execute();
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();
  await db.schema.alterTable('api_tokens').addColumn('replaced_by', 'text').execute();
  await db.schema.alterTable('api_tokens').addColumn('revoked_by', 'text').execute();
  await db.schema.alterTable('api_tokens').addColumn('revoke_reason', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('users').execute();
  for (const column of ['expires_at', 'replaced_by', 'revoked_by', 'revoke_reason']) await db.schema.alterTable('api_tokens').dropColumn(column).execute();
}

import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './001-initial.js';
import * as intake from './002-intake.js';
import * as componentVersions from './003-component-versions.js';
import * as upgradeMembers from './006-upgrade-members.js';

/** Migrations are listed here explicitly (no directory scanning), in the order they apply. */
const migrations: Record<string, Migration> = {
  '001-initial': initial,
  '002-intake': intake,
  '003-component-versions': componentVersions,
  '006-upgrade-members': upgradeMembers,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};

import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './001-initial.js';
import * as intake from './002-intake.js';
import * as componentVersions from './003-component-versions.js';
import * as listIndexes from './004-list-indexes.js';
import * as leasesUnique from './005-leases-unique.js';
import * as upgradeMembers from './006-upgrade-members.js';
import * as findingsAcceptanceVex from './007-findings-acceptance-vex.js';
import * as rollouts from './008-rollouts.js';
import * as rolloutInputs from './009-rollout-inputs.js';
import * as compat from './010-compat.js';
import * as identities from './011-identities.js';
import * as audit from './012-audit.js';
import * as notifications from './013-notifications.js';
import * as guards from './014-guards.js';
import * as changes from './016-changes.js';
import * as verification from './017-verification.js';
import * as incidents from './018-incidents.js';

/** Migrations are listed here explicitly (no directory scanning), in the order they apply. */
const migrations: Record<string, Migration> = {
  '001-initial': initial,
  '002-intake': intake,
  '003-component-versions': componentVersions,
  '004-list-indexes': listIndexes,
  '005-leases-unique': leasesUnique,
  '006-upgrade-members': upgradeMembers,
  '007-findings-acceptance-vex': findingsAcceptanceVex,
  '008-rollouts': rollouts,
  '009-rollout-inputs': rolloutInputs,
  '010-compat': compat,
  '011-identities': identities,
  '012-audit': audit,
  '013-notifications': notifications,
  '014-guards': guards,
  '016-changes': changes,
  '017-verification': verification,
  '018-incidents': incidents,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};

import { createHash } from 'node:crypto';
import type { UfError } from '../../core/errors.js';
import { guardRefusal } from './refusal.js';

/** A change from the release notes that needs attention, with the release it came from. */
export interface NotesChange {
  version: string;
  kind: string;
  text: string;
  refs: string[];
}

/** What intake parsed for an upgrade: the summary of the releases it brings, and whether they cover it. */
export interface ParsedNotes {
  releases: number;
  breaking: NotesChange[];
  migrations: NotesChange[];
  deprecations: NotesChange[];
  securityFixes: NotesChange[];
  yanked: string[];
  /** Set when the notes do not speak for the whole move (no notes, or they start or stop inside it). */
  unknownBecause?: string;
}

export interface NotesAck {
  id: string;
  upgradeId: string;
  actor: string;
  /** `owner of SERVICE` or `admin`. */
  standing: string;
  notesDigest: string;
  at: string;
}

/**
 * An upgrade's release notes as an owner reads them: breaking changes and required migrations
 * first. Without any parsed notes every list is `null` and `status` is `unknown`: nobody has
 * read anything, which is not the same as "no breaking change" (an empty list).
 */
export interface NotesView {
  upgradeId: string;
  component: string;
  fromVersions: string[];
  targetVersion: string;
  /** known: notes cover the whole move; partial: notes exist but leave part of it unknown; unknown: none. */
  status: 'known' | 'partial' | 'unknown';
  unknownBecause: string | null;
  breaking: NotesChange[] | null;
  migrations: NotesChange[] | null;
  deprecations: NotesChange[] | null;
  securityFixes: NotesChange[] | null;
  releases: number | null;
  yanked: string[] | null;
  /** SHA-256 of what is shown: an acknowledgment counts for these notes only. */
  digest: string;
  /** The latest acknowledgment, and whether it was of these notes (not of an earlier parse). */
  acknowledged: (NotesAck & { current: boolean }) | null;
}

/** `unknownReason` says why there are no notes (from intake), when `parsed` is undefined. */
export function notesView(
  upgrade: { id: string; name: string; fromVersions: string[]; targetVersion: string },
  parsed: ParsedNotes | undefined,
  ack: NotesAck | undefined,
  unknownReason?: string,
): NotesView {
  const move = `${upgrade.fromVersions.join(', ') || '?'} → ${upgrade.targetVersion}`;
  const base = { upgradeId: upgrade.id, component: upgrade.name, fromVersions: upgrade.fromVersions, targetVersion: upgrade.targetVersion };
  const body = parsed
    ? {
        status: parsed.unknownBecause === undefined ? ('known' as const) : ('partial' as const),
        unknownBecause: parsed.unknownBecause ?? null,
        breaking: parsed.breaking,
        migrations: parsed.migrations,
        deprecations: parsed.deprecations,
        securityFixes: parsed.securityFixes,
        releases: parsed.releases,
        yanked: parsed.yanked,
      }
    : { status: 'unknown' as const, unknownBecause: unknownReason ?? `no release notes were parsed for ${upgrade.name} ${move}`, breaking: null, migrations: null, deprecations: null, securityFixes: null, releases: null, yanked: null };
  const digest = createHash('sha256').update(JSON.stringify([base, body])).digest('hex');
  return { ...base, ...body, digest, acknowledged: ack ? { ...ack, current: ack.notesDigest === digest } : null };
}

/** Compat may start once the notes as they are now were acknowledged by an owner or an admin. */
export function checkNotesAcknowledged(view: NotesView): UfError | undefined {
  const how = `read them with uf upgrades notes ${view.upgradeId} and acknowledge as an owner of the service (or an admin) with uf upgrades ack-notes ${view.upgradeId}`;
  if (!view.acknowledged) {
    return guardRefusal('releaseNotes', view.upgradeId, `compat of ${view.upgradeId} (${view.component} ${view.targetVersion}) cannot start before its release notes (${describeStatus(view)}) are acknowledged; ${how}`);
  }
  if (!view.acknowledged.current) {
    return guardRefusal(
      'releaseNotes',
      view.upgradeId,
      `the release notes of ${view.upgradeId} changed since ${view.acknowledged.actor} acknowledged them at ${view.acknowledged.at} (now ${describeStatus(view)}); ${how}`,
    );
  }
  return undefined;
}

/** `3 breaking changes, 1 required migration`, or `unknown: why`. */
export function describeStatus(view: NotesView): string {
  if (view.status === 'unknown' || view.breaking === null || view.migrations === null) return `unknown: ${view.unknownBecause ?? 'no notes'}`;
  const counts = `${view.breaking.length} breaking change${view.breaking.length === 1 ? '' : 's'}, ${view.migrations.length} required migration${view.migrations.length === 1 ? '' : 's'}`;
  return view.status === 'partial' ? `${counts} in the notes found, the rest unknown: ${view.unknownBecause}` : counts;
}

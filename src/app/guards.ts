import { guardDurationMs } from '../config/sections/guards.js';
import { UfError } from '../core/errors.js';
import type { Role } from '../core/roles.js';
import { isTerminal, type Upgrade } from '../core/upgrade/index.js';
import { latestPassingDrill } from '../governance/drills/store.js';
import { checkBundling, type BundlingStart } from '../governance/guards/bundling.js';
import { checkRollbackDrill } from '../governance/guards/drill.js';
import { checkNotesAcknowledged, describeStatus, notesView, type NotesChange, type NotesView, type ParsedNotes } from '../governance/guards/notes.js';
import { logRefusal } from '../governance/guards/refusal.js';
import { latestNotesAck, rolloutsStartedSince, saveNotesAck } from '../governance/guards/store.js';
import { owns } from '../governance/identities/teams.js';
import type { NotableChange } from '../intake/release-notes/index.js';
import { latestAssessment } from '../intake/store/risk.js';
import { findService } from '../store/repos/catalog.js';
import { addEvidence, getUpgrade } from '../store/repos/upgrades.js';
import { getUser } from '../store/repos/users.js';
import type { AppRoot } from './root.js';

/** What the guards need from the composition root (the API server hands the same parts). */
export type GuardRoot = Pick<AppRoot, 'store' | 'clock'> & { loaded: Pick<AppRoot['loaded'], 'config'> };

/** The release notes intake parsed for an upgrade, breaking changes and required migrations first. */
export async function upgradeNotes(root: Pick<AppRoot, 'store'>, upgradeId: string): Promise<NotesView> {
  const upgrade = await requireUpgrade(root, upgradeId);
  const assessment = await latestAssessment(root.store.db, upgrade.id);
  const summary = assessment?.releaseNotes;
  const unknown = assessment?.input.reversibility.releaseNotesUnknown;
  const change = (c: NotableChange): NotesChange => ({ version: c.version, kind: c.kind, text: c.text, refs: c.refs });
  const parsed: ParsedNotes | undefined = summary
    ? {
        releases: summary.releases,
        breaking: summary.breaking.map(change),
        migrations: summary.migrations.map(change),
        deprecations: summary.deprecations.map(change),
        securityFixes: summary.securityFixes.map(change),
        yanked: summary.yanked,
        ...(unknown !== undefined ? { unknownBecause: unknown } : {}),
      }
    : undefined;
  return notesView(upgrade, parsed, await latestNotesAck(root.store.db, upgrade.id), unknown);
}

/**
 * An owner of one of the upgrade's services (a member of its owning team, or its named owner), or
 * an admin, acknowledges the notes as they are now. Recorded with who, when and the notes' digest
 * (operation log `notes.ack`), and as `release_notes_ack` evidence so the compat gate opens.
 */
export async function acknowledgeNotes(root: GuardRoot, upgradeId: string, who: { actor: string; roles: readonly Role[] }): Promise<NotesView> {
  const upgrade = await requireUpgrade(root, upgradeId);
  if (isTerminal(upgrade.state)) throw new UfError('conflict', `upgrade ${upgrade.id} is ${upgrade.state}: its notes no longer need acknowledging`, { record: upgrade.id });
  const standing = await standingOf(root, upgrade, who);
  const view = await upgradeNotes(root, upgrade.id);
  const at = root.clock.now().toISOString();
  const summary = describeStatus(view);
  const ack = await saveNotesAck(root.store, { upgradeId: upgrade.id, actor: who.actor, standing, notesDigest: view.digest, at }, summary);
  await addEvidence(root.store, upgrade.id, upgrade.version, {
    kind: 'release_notes_ack',
    outcome: 'pass',
    ref: `notes-ack:${ack.id}`,
    summary: `${who.actor} (${standing}) acknowledged the release notes of ${upgrade.name} ${upgrade.targetVersion}: ${summary}`,
    recordedBy: who.actor,
    recordedAt: at,
  });
  return upgradeNotes(root, upgrade.id);
}

async function standingOf(root: GuardRoot, upgrade: Upgrade, who: { actor: string; roles: readonly Role[] }): Promise<string> {
  if (who.roles.includes('admin')) return 'admin';
  const name = who.actor.startsWith('user:') ? who.actor.slice('user:'.length) : undefined;
  const user = name ? await getUser(root.store.db, name) : undefined;
  const owners: string[] = [];
  for (const service of upgrade.services) {
    const entity = await findService(root.store.db, service);
    if (entity?.owner) owners.push(`${service} (${entity.owner})`);
    if (user && entity && owns(user, entity)) return `owner of ${service}`;
  }
  throw new UfError(
    'forbidden',
    `the release notes of ${upgrade.id} are acknowledged by an owner of ${owners.length > 0 ? owners.join(', ') : `its services (${upgrade.services.join(', ') || 'none'}), which have no owner in the catalog`} or by an admin; ${who.actor} is ${user ? `in ${user.teams.length > 0 ? `teams ${user.teams.join(', ')}` : 'no team'}` : 'not a registered user (uf user add)'}`,
    { record: upgrade.id },
  );
}

/** The releaseNotes guard, before compat starts: refused (and logged) unless the current notes were acknowledged. */
export async function guardCompatStart(root: GuardRoot, upgrade: Upgrade, actor: string): Promise<void> {
  if (!root.loaded.config.guards.releaseNotes.enabled) return;
  const refusal = checkNotesAcknowledged(await upgradeNotes(root, upgrade.id));
  if (!refusal) return;
  await logRefusal(root.store, refusal, { actor, subject: upgrade.id, at: root.clock.now() });
  throw refusal;
}

/**
 * The bundling and rollbackDrill guards, before a rollout (a production canary) starts. When the
 * drill guard passes, the drill it rests on is recorded on the upgrade as `rollback_drill`
 * evidence, so the canary gate cites a real drill. Returns the upgrade as it is now.
 */
export async function guardCanaryStart(root: GuardRoot, upgrade: Upgrade, service: string, actor: string): Promise<Upgrade> {
  const guards = root.loaded.config.guards;
  const now = root.clock.now();
  const refuse = async (refusal: UfError): Promise<never> => {
    await logRefusal(root.store, refusal, { actor, subject: upgrade.id, at: now });
    throw refusal;
  };
  if (guards.bundling.enabled) {
    const perMs = guardDurationMs(guards.bundling.per);
    const candidate = await bundlingStart(root, upgrade, service, now.toISOString());
    const recent: BundlingStart[] = [];
    for (const start of await rolloutsStartedSince(root.store.db, new Date(now.getTime() - perMs).toISOString())) {
      const other = start.upgradeId === upgrade.id ? upgrade : await getUpgrade(root.store.db, start.upgradeId);
      if (other) recent.push(await bundlingStart(root, other, start.service, start.startedAt));
    }
    const refusal = checkBundling(candidate, recent, { max: guards.bundling.max, perMs }, now);
    if (refusal) await refuse(refusal);
  }
  if (!guards.rollbackDrill.enabled) return upgrade;
  const drill = await latestPassingDrill(root.store.db, service);
  const refusal = checkRollbackDrill(upgrade.id, service, drill, guardDurationMs(guards.rollbackDrill.maxAge), now);
  if (refusal) await refuse(refusal);
  const ref = `drill:${drill!.id}`;
  const cited = [...upgrade.evidence].reverse().find((e) => e.kind === 'rollback_drill');
  if (cited?.ref === ref && cited.outcome === 'pass') return upgrade;
  return addEvidence(root.store, upgrade.id, upgrade.version, {
    kind: 'rollback_drill',
    outcome: 'pass',
    ref,
    summary: `${drill!.summary} (${drill!.finishedAt})`,
    recordedBy: drill!.actor,
    recordedAt: now.toISOString(),
  });
}

/** An upgrade's rollout start as the bundling guard sees it: related by purl and by release group. */
async function bundlingStart(root: GuardRoot, upgrade: Upgrade, service: string, startedAt: string): Promise<BundlingStart> {
  const groups = root.loaded.config.intake.releaseGroups;
  const keys = new Set<string>([`purl:${upgrade.purl}`]);
  for (const pkg of [{ ecosystem: upgrade.ecosystem, name: upgrade.name }, ...upgrade.members]) {
    if ('releaseGroup' in pkg && pkg.releaseGroup) keys.add(`group:${pkg.ecosystem}:${pkg.releaseGroup}`);
    for (const group of groups) {
      if (group.ecosystem.toLowerCase() !== pkg.ecosystem.toLowerCase()) continue;
      if (group.packages.includes(pkg.name) || group.prefixes.some((p) => pkg.name.startsWith(p))) keys.add(`group:${group.ecosystem}:${group.name}`);
    }
  }
  const team = (await findService(root.store.db, service))?.owner ?? undefined;
  return { upgradeId: upgrade.id, label: `${upgrade.name} ${upgrade.targetVersion}`, relatedKeys: [...keys], service, ...(team ? { team } : {}), startedAt };
}

async function requireUpgrade(root: Pick<AppRoot, 'store'>, id: string): Promise<Upgrade> {
  const upgrade = await getUpgrade(root.store.db, id);
  if (!upgrade) throw new UfError('not_found', `no upgrade ${id}`, { record: id });
  return upgrade;
}

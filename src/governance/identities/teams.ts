import type { CatalogEntity, EntityRef } from '../../core/service-map.js';
import type { Db } from '../../store/db.js';
import { listEntities } from '../../store/repos/catalog.js';
import { listUsers, type User } from '../../store/repos/users.js';

/**
 * Teams are the owners the service map names (Backstage `spec.owner`, usually `group:default/NAME`);
 * people belong to them through `uf user add --team`. A team is written either as its full entity
 * ref or as a bare name, which means the group in the default namespace.
 */
export function teamRef(team: string): EntityRef {
  const text = team.trim().toLowerCase();
  if (/^[a-z]+:/.test(text)) return text.includes('/') ? text : text.replace(':', ':default/');
  return `group:default/${text}`;
}

/** Whether the person owns the entity: a member of its owning team, or named as its owner (`user:default/NAME`). */
export function owns(user: Pick<User, 'name' | 'teams'>, entity: Pick<CatalogEntity, 'owner'>): boolean {
  if (!entity.owner) return false;
  const owner = entity.owner.toLowerCase();
  return owner === `user:default/${user.name.toLowerCase()}` || user.teams.some((team) => teamRef(team) === owner);
}

export interface TeamView {
  ref: EntityRef;
  /** Services (Components) the team owns, by name. */
  services: string[];
  /** Registered people in the team, by name. */
  members: string[];
}

/** Every team the service map or a person names, with what it owns and who is in it. */
export async function listTeams(db: Db): Promise<TeamView[]> {
  const teams = new Map<EntityRef, TeamView>();
  const team = (ref: EntityRef): TeamView => {
    let view = teams.get(ref);
    if (!view) teams.set(ref, (view = { ref, services: [], members: [] }));
    return view;
  };
  for (const entity of await listEntities(db, { kind: 'Group' })) team(entity.ref);
  for (const entity of await listEntities(db, { kind: 'Component' })) if (entity.owner?.startsWith('group:')) team(entity.owner).services.push(entity.name);
  for (const user of await listUsers(db)) for (const name of user.teams) team(teamRef(name)).members.push(user.name);
  return [...teams.values()].sort((a, b) => a.ref.localeCompare(b.ref));
}

import type { PersonInput, Rollouts, RolloutView, StartInput, SubmitOutcome } from '../../app/rollouts.js';
import type { ServerClient } from '../client.js';

/** What `uf rollout` needs of the rollouts use case, the same on a local store and through a server. */
export type RolloutAccess = Pick<Rollouts, 'start' | 'submit' | 'get' | 'list'>;

/**
 * The rollout commands through the server: the token decides who acts and with which role, so
 * the person and role given locally (UF_ACTOR, --role) are not sent; the server ignores them anyway.
 */
export function remoteRollouts(client: ServerClient): RolloutAccess {
  const path = (id: string, rest = '') => `/api/v1/rollouts/${encodeURIComponent(id)}${rest}`;
  return {
    start: (input: StartInput) =>
      client.call<RolloutView>('POST', '/api/v1/rollouts', { upgradeId: input.upgradeId, ...(input.service ? { service: input.service } : {}), ...(input.baseline ? { baseline: true } : {}) }),
    submit: (id: string, input: PersonInput) => {
      const reason = input.reason ? { reason: input.reason } : {};
      if (input.type === 'approval') return client.call<SubmitOutcome>('POST', path(id, `/${input.decision}`), reason);
      if (input.type === 'window-override') return client.call<SubmitOutcome>('POST', path(id, '/override-window'), reason);
      return client.call<SubmitOutcome>('POST', path(id, `/${input.command}`), reason);
    },
    get: (id: string) => client.call<RolloutView>('GET', path(id)),
    list: async (filter = {}) => {
      const query = new URLSearchParams({ ...(filter.upgradeId ? { upgrade: filter.upgradeId } : {}), ...(filter.limit ? { limit: String(filter.limit) } : {}) });
      return (await client.call<{ items: RolloutView[] }>('GET', `/api/v1/rollouts?${query}`)).items;
    },
  };
}

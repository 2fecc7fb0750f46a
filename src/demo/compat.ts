import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { compatMatrix, runCompatWorker, startCompatRun } from '../app/compat.js';
import type { AppRoot } from '../app/root.js';
import type { MatrixView } from '../compat/matrix.js';
import { UfError } from '../core/errors.js';
import { addEvidence, applyTransition, getUpgrade } from '../store/repos/upgrades.js';
import type { ScenarioPick } from './scenario.js';

/**
 * The demo's compatibility stage. Each service's API contract (OpenAPI, as the version running
 * now serves it and as the build with the upgraded component serves it) and its plugins'
 * package.json files are written into the workspace; the matrix compares them with two checks:
 * `declared-ranges` (the plugins' peerDependencies against the target, npm's own range rules) and
 * `api-contract` (oasdiff-style diff; a breaking change fails). The three rolled-out upgrades pass
 * every cell. The fourth, jsonwebtoken 9 on the gateway, is the red one: the gateway's SSO plugin
 * declares `jsonwebtoken: ^8.5.1`, and the gateway built on 9 drops `expires_in` from its session
 * response, so its canary gate stays closed.
 */

/** The upgrade the demo shows blocked at the compat gate. */
export const blockedCase = { component: 'npm:jsonwebtoken', service: 'gateway', plugin: 'sso-bridge', range: '^8.5.1' } as const;

/** The plugins the demo declares per service: name and the peer range on the component it uses. */
const plugins: Readonly<Record<string, { name: string; peer: Record<string, string> }>> = {
  catalog: { name: 'search-facets', peer: { lodash: '^4.17.0' } },
  checkout: { name: 'session-store', peer: { 'tough-cookie': '^4.1.0' } },
  shipping: { name: 'rates-client', peer: { axios: '^1.6.0' } },
  gateway: { name: blockedCase.plugin, peer: { jsonwebtoken: blockedCase.range } },
};

/** An upgrade the demo runs the matrix of: its component, versions and services. */
export interface DemoMatrixSubject {
  component: string;
  toVersion: string;
  services: string[];
}

/** Writes the contracts and plugin manifests the checks read, and returns the `compat:` section. */
export function writeDemoCompat(workspace: string, subjects: readonly DemoMatrixSubject[]): Record<string, unknown> {
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(workspace, file)), { recursive: true });
    writeFileSync(join(workspace, file), text);
  };
  const services = [...new Set(subjects.flatMap((s) => s.services))].sort();
  for (const service of services) write(`compat/${service}/openapi.yaml`, stringify(contract(service, false)));
  for (const subject of subjects) {
    const name = subject.component.replace(/^npm:/, '');
    for (const service of subject.services) {
      const breaks = subject.component === blockedCase.component && service === blockedCase.service;
      write(`compat/${service}/${name}-${subject.toVersion}/openapi.yaml`, stringify(contract(service, breaks)));
    }
  }
  const consumers = [];
  for (const service of services) {
    const plugin = plugins[service];
    if (!plugin) continue;
    const file = `compat/${service}/plugins/${plugin.name}/package.json`;
    write(file, `${JSON.stringify({ name: plugin.name, version: '2.3.0', private: true, peerDependencies: plugin.peer }, null, 2)}\n`);
    consumers.push({ service, name: plugin.name, kind: 'plugin', manifests: [file] });
  }
  return {
    checks: [
      { id: 'declared-ranges', kind: 'constraints', timeout: '30s' },
      { id: 'api-contract', kind: 'openapi-diff', old: 'compat/{{service}}/openapi.yaml', new: 'compat/{{service}}/{{component}}-{{toVersion}}/openapi.yaml', timeout: '30s' },
    ],
    consumers,
  };
}

/** A service's API as the demo serves it; the gateway's session answer loses `expires_in` when `breaks`. */
function contract(service: string, breaks: boolean): Record<string, unknown> {
  const object = (required: string[], properties: Record<string, unknown>) => ({ type: 'object', required, properties });
  const session = object(breaks ? ['token'] : ['token', 'expires_in'], {
    token: { type: 'string' },
    ...(breaks ? {} : { expires_in: { type: 'integer', minimum: 1 } }),
  });
  const item = object(['id', 'updatedAt'], { id: { type: 'string' }, updatedAt: { type: 'string', format: 'date-time' } });
  const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
  return {
    openapi: '3.0.3',
    info: { title: `${service} API`, version: '1.0.0' },
    paths: {
      [`/${service}/items/{id}`]: {
        get: {
          operationId: `get-${service}-item`,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'the item', ...json(item) }, '404': { description: 'no such item' } },
        },
      },
      ...(service === 'gateway'
        ? { '/session': { post: { operationId: 'create-session', requestBody: { required: true, ...json(object(['user'], { user: { type: 'string' } })) }, responses: { '201': { description: 'a signed session', ...json(session) } } } } }
        : {}),
    },
  };
}

/** Runs the upgrade's matrix in this process and returns it once every cell has its result. */
export async function runDemoMatrix(root: AppRoot, upgradeId: string, actor: string): Promise<MatrixView> {
  const { run } = await startCompatRun(root, upgradeId, actor);
  await runCompatWorker(root, { signal: new AbortController().signal, concurrency: 2, exitWhenIdle: true, label: 'uf-demo' });
  return compatMatrix(root, upgradeId, run.id);
}

/** The red matrix, as the demo reports it. */
export interface DemoBlockedUpgrade {
  upgradeId: string;
  component: string;
  from: string;
  to: string;
  services: string[];
  verdict: string;
  cells: number;
  /** Each required cell that keeps the gate closed, with its reason. */
  blocking: string[];
  /** The engine's refusal of start_canary (null when it was, against expectation, allowed). */
  gate: string | null;
  met: boolean;
}

/**
 * Takes the red upgrade to compat, runs its matrix and tries to start its canary: the refusal is the
 * point. A workspace whose red upgrade ran before is reported from its latest matrix.
 */
export async function showBlockedUpgrade(root: AppRoot, upgradeId: string, actor: string): Promise<DemoBlockedUpgrade> {
  const { store, clock } = root;
  let upgrade = await getUpgrade(store.db, upgradeId);
  if (!upgrade) throw new UfError('not_found', `no upgrade ${upgradeId}`, { record: upgradeId });
  const at = () => clock.now().toISOString();
  let view: MatrixView;
  if (upgrade.state === 'triaged') {
    upgrade = await addEvidence(store, upgrade.id, upgrade.version, {
      kind: 'release_notes_ack',
      outcome: 'pass',
      ref: 'uf-demo:manual',
      summary: `${actor} acknowledged the release notes of ${upgrade.name} ${upgrade.targetVersion} for the demo (a manual record made by uf demo, not a review)`,
      recordedBy: actor,
      recordedAt: at(),
    });
    upgrade = await applyTransition(store, upgrade.id, upgrade.version, { event: 'start_compat', actor, reason: 'uf demo: release notes acknowledged', at: at(), steps: [] }, root.loaded.config.policy);
    view = await runDemoMatrix(root, upgrade.id, actor);
  } else {
    view = await compatMatrix(root, upgrade.id);
  }
  let gate: string | null = null;
  const current = (await getUpgrade(store.db, upgradeId))!;
  try {
    await applyTransition(store, current.id, current.version, { event: 'start_canary', actor, reason: 'uf demo: try the canary', at: at() }, root.loaded.config.policy);
  } catch (error) {
    if (!(error instanceof UfError)) throw error;
    gate = error.message;
  }
  const blocking = view.blocking.map((b) => `${b.consumerId} × ${b.checkId}: ${b.status}: ${b.summary}`);
  const cells = Object.values(view.cells).reduce((sum, row) => sum + Object.keys(row).length, 0);
  const met = view.verdict === 'fail' && gate !== null && view.blocking.some((b) => b.checkId === 'declared-ranges') && view.blocking.some((b) => b.checkId === 'api-contract');
  return { upgradeId, component: `${upgrade.ecosystem}:${upgrade.name}`, from: upgrade.fromVersions.join(','), to: upgrade.targetVersion, services: upgrade.services, verdict: view.verdict, cells, blocking, gate, met };
}

/** The upgrade to show blocked: the triaged (or already blocked) jsonwebtoken upgrade touching the gateway. */
export function pickBlocked(upgrades: readonly { id: string; component: string; to: string; state: string; services: string[] }[]): { id: string; component: string; to: string; services: string[] } {
  const found = upgrades
    .filter((u) => u.component === blockedCase.component && u.services.includes(blockedCase.service) && (u.state === 'triaged' || u.state === 'compat'))
    .sort((a, b) => Number(b.state === 'compat') - Number(a.state === 'compat'))[0];
  if (!found) throw new UfError('not_found', `the demo's blocked upgrade needs a triaged upgrade of ${blockedCase.component} on ${blockedCase.service}, and intake made none`, { record: blockedCase.component });
  return found;
}

/** The subjects of the demo's matrices: the rolled-out picks and the red one. */
export function matrixSubjects(picks: readonly ScenarioPick[], blocked: { id: string; component: string; to: string; services: string[] }): DemoMatrixSubject[] {
  return [
    ...picks.map((pick) => ({ component: pick.component, toVersion: pick.toVersion, services: [pick.service] })),
    { component: blocked.component, toVersion: blocked.to, services: blocked.services },
  ];
}

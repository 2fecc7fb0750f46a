import { createHash } from 'node:crypto';
import { request } from 'undici';
import type { WebhookDeployerSettings } from '../../../config/sections/deployers.js';
import type { Clock } from '../../../core/clock.js';
import { UfError } from '../../../core/errors.js';
import { afterDeploy, fill, placeholderValues } from '../steps.js';
import type { Deployer, DeployOperation, DeployResult, DeployTarget, WebhookEvidence } from '../types.js';
import { CallbackInbox, type CallbackAcceptance, type CallbackHeaders } from './inbox.js';
import type { DeployRequestBody } from './schema.js';

export interface WebhookDeployerDeps {
  clock: Clock;
  /** Where the token and the shared secret are read from (the composition root passes process.env). */
  env: Readonly<Record<string, string | undefined>>;
  /** The URL of uf's callback route for this deployer, sent to the CD system in each request. */
  callbackUrl?: string;
}

/** A webhook deployer also takes the callbacks its CD system sends: the API route hands them here. */
export interface WebhookDeployer extends Deployer {
  /** Verifies a callback (raw body bytes and headers as received) and completes the request it answers. */
  acceptCallback(rawBody: string | Buffer, headers: CallbackHeaders): CallbackAcceptance;
}

/** Bytes of the CD system's answer kept as evidence. */
const maxResponseBytes = 4_096;

/**
 * Asks an external CD system to run each operation: POSTs a JSON body (see `DeployRequestBody`)
 * with `Authorization: Bearer <token from tokenEnv>` and `Idempotency-Key: <request id>`, expects a
 * 2xx, then waits for the CD system's signed callback carrying the status and the artifact digest.
 * The request id is derived from the rollout and the operation, so a retry after a crash asks for
 * the same thing under the same id.
 */
export function createWebhookDeployer(settings: WebhookDeployerSettings, deps: WebhookDeployerDeps): WebhookDeployer {
  const secret = deps.env[settings.secretEnv];
  if (secret === undefined || secret === '') {
    throw new UfError('config_invalid', `the webhook deployer of ${settings.service} needs its callback secret in the environment variable ${settings.secretEnv}, which is not set`, { path: 'secretEnv' });
  }
  const token = settings.tokenEnv === undefined ? undefined : deps.env[settings.tokenEnv];
  if (settings.tokenEnv !== undefined && (token === undefined || token === '')) {
    throw new UfError('config_invalid', `the webhook deployer of ${settings.service} reads its token from ${settings.tokenEnv}, which is not set`, { path: 'tokenEnv' });
  }
  const inbox = new CallbackInbox(secret, deps.clock, settings.maxCallbackAgeMs);

  const run = async (operation: DeployOperation, target: DeployTarget): Promise<DeployResult> => {
    const started = performance.now();
    const values = placeholderValues(operation, target);
    const url = fill(settings.url, operation, target);
    const requestId = requestIdOf(operation, target);
    const evidence: WebhookEvidence = { kind: 'webhook', url, requestId, durationMs: 0 };
    const finish = (result: Omit<DeployResult, 'operation' | 'evidence' | 'durationMs'>): DeployResult => {
      evidence.durationMs = Math.round(performance.now() - started);
      return { operation, ...result, evidence, durationMs: evidence.durationMs };
    };
    const body: DeployRequestBody = { requestId, operation, service: target.service, upgrade: target.upgrade, attempt: target.attempt, fromVersion: target.fromVersion, toVersion: target.toVersion, version: values.version, variant: values.variant };
    if (target.environment !== undefined) body.environment = target.environment;
    if (deps.callbackUrl !== undefined) body.callbackUrl = deps.callbackUrl;

    try {
      const response = await request(url, {
        method: 'POST',
        headers: { ...settings.headers, 'content-type': 'application/json', 'idempotency-key': requestId, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(settings.requestTimeoutMs),
      });
      evidence.httpStatus = response.statusCode;
      evidence.response = (await readBounded(response.body)).trim();
      if (response.statusCode < 200 || response.statusCode > 299) {
        return finish({ ok: false, reason: `the CD system at ${url} answered ${response.statusCode}`, digest: null, digestNote: 'the request was refused' });
      }
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${settings.requestTimeoutMs} ms` : errorText(error);
      return finish({ ok: false, reason: `cannot reach the CD system at ${url}: ${reason}`, digest: null, digestNote: 'the request did not reach the CD system' });
    }
    // A fast CD system may have called back before its answer to the POST came: the inbox kept it.
    const answer = await inbox.wait(requestId, settings.callbackTimeoutMs);
    if (answer === undefined) {
      return finish({ ok: false, reason: `no signed callback for request ${requestId} within ${settings.callbackTimeoutMs} ms`, digest: null, digestNote: 'no callback came' });
    }
    evidence.callback = { status: answer.status, ...(answer.callbackId === undefined ? {} : { id: answer.callbackId }), ...(answer.message === undefined ? {} : { message: answer.message.slice(0, 500) }) };
    const digest = answer.digest ?? null;
    const reported: Pick<DeployResult, 'digest' | 'digestNote' | 'url'> = { digest };
    if (digest === null) reported.digestNote = 'the callback carried no digest';
    if (answer.url !== undefined) reported.url = answer.url;
    if (answer.status === 'failed') return finish({ ok: false, reason: `the CD system reported ${operation} failed${answer.message ? `: ${answer.message.slice(0, 500)}` : ''}`, ...reported });
    return afterDeploy(finish({ ok: true, ...reported }), settings.health, operation, target);
  };

  return {
    name: `webhook:${settings.service}`,
    supportsBaseline: settings.baseline,
    deployCanary: (target) => run('deployCanary', target),
    deployBaseline: async (target) => (settings.baseline ? run('deployBaseline', target) : noBaseline('deployBaseline', settings, target)),
    promote: (target) => run('promote', target),
    removeCanary: (target) => run('removeCanary', target),
    removeBaseline: async (target) => (settings.baseline ? run('removeBaseline', target) : noBaseline('removeBaseline', settings, target)),
    acceptCallback: (rawBody, headers) => inbox.acceptCallback(rawBody, headers),
    close: async () => undefined,
  };
}

/** The same rollout, operation and version give the same id, so a retry is recognisable as one. */
export function requestIdOf(operation: DeployOperation, target: DeployTarget): string {
  const key = [target.service, target.upgrade, target.attempt, target.environment ?? '', operation, target.fromVersion, target.toVersion].join('\n');
  return `dep_${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/** Without a baseline in the CD system: deploying one fails, removing one has nothing to do. */
function noBaseline(operation: 'deployBaseline' | 'removeBaseline', settings: WebhookDeployerSettings, target: DeployTarget): DeployResult {
  const evidence: WebhookEvidence = { kind: 'webhook', url: fill(settings.url, operation, target), requestId: requestIdOf(operation, target), durationMs: 0 };
  if (operation === 'removeBaseline') return { operation, ok: true, digest: null, digestNote: 'nothing was sent: no baseline is configured', evidence, durationMs: 0 };
  return { operation, ok: false, reason: `the webhook deployer of ${settings.service} has no baseline (set baseline: true)`, digest: null, digestNote: 'nothing was sent', evidence, durationMs: 0 };
}

async function readBounded(body: AsyncIterable<Buffer | Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < maxResponseBytes) chunks.push(Buffer.from(chunk));
    size += chunk.length;
  }
  return Buffer.concat(chunks).subarray(0, maxResponseBytes).toString('utf8');
}

function errorText(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${code}: ${message}` : message;
}

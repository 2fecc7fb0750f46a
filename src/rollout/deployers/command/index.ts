import { resolve } from 'node:path';
import type { CommandDeployerSettings } from '../../../config/sections/deployers.js';
import { afterDeploy, fill, placeholderValues, variantOf } from '../steps.js';
import type { Deployer, DeployOperation, DeployResult, DeployTarget } from '../types.js';
import { CommandReportReader } from './output.js';
import { runCommand } from './run.js';

export interface CommandDeployerDeps {
  /** The environment the allow-listed variables are read from (the composition root passes process.env). */
  env: Readonly<Record<string, string | undefined>>;
  /** Directory `cwd` is resolved against: the config file's. */
  baseDir: string;
}

/**
 * Runs the configured argv arrays (`shell: false`, placeholders filled per element). A non-zero
 * exit, a signal, a timeout or a program that cannot start is a failed step with the output as
 * evidence. The child gets PATH, the allow-listed variables, and UF_OPERATION, UF_SERVICE,
 * UF_UPGRADE, UF_ATTEMPT, UF_VARIANT, UF_VERSION, UF_FROM_VERSION, UF_TO_VERSION.
 */
export function createCommandDeployer(settings: CommandDeployerSettings, deps: CommandDeployerDeps): Deployer {
  const cwd = resolve(deps.baseDir, settings.cwd ?? '.');
  const argvOf: Record<DeployOperation, string[] | undefined> = {
    deployCanary: settings.deployCanary,
    deployBaseline: settings.deployBaseline,
    promote: settings.promote,
    removeCanary: settings.removeCanary,
    removeBaseline: settings.removeBaseline,
  };

  const childEnv = (operation: DeployOperation, target: DeployTarget): Record<string, string> => {
    const env: Record<string, string> = {};
    for (const name of ['PATH', ...settings.env]) {
      const value = deps.env[name];
      if (value !== undefined) env[name] = value;
    }
    const values = placeholderValues(operation, target);
    Object.assign(env, {
      UF_OPERATION: operation,
      UF_SERVICE: values.service,
      UF_UPGRADE: values.upgrade,
      UF_ATTEMPT: values.attempt,
      UF_VARIANT: values.variant,
      UF_VERSION: values.version,
      UF_FROM_VERSION: values.fromVersion,
      UF_TO_VERSION: values.toVersion,
    });
    if (target.environment !== undefined) env['UF_ENVIRONMENT'] = target.environment;
    return env;
  };

  const run = async (operation: DeployOperation, target: DeployTarget): Promise<DeployResult> => {
    const template = argvOf[operation];
    if (template === undefined) {
      return {
        operation,
        ok: false,
        reason: `${operation} is not configured for ${settings.service}: set deployBaseline and removeBaseline`,
        digest: null,
        digestNote: 'nothing was run',
        evidence: { kind: 'command', argv: [], cwd, exitCode: null, signal: null, timedOut: false, durationMs: 0, stdout: '', stderr: '', droppedBytes: { stdout: 0, stderr: 0 } },
        durationMs: 0,
      };
    }
    const reader = new CommandReportReader(settings.output);
    const evidence = await runCommand({
      argv: template.map((element) => fill(element, operation, target)),
      cwd,
      env: childEnv(operation, target),
      timeoutMs: settings.timeoutMs,
      maxOutputBytes: settings.maxOutputBytes,
      onStdoutLine: (line) => reader.line(line),
    });
    const report = reader.result();
    const configuredUrl = operation === 'deployCanary' ? settings.canaryUrl : operation === 'deployBaseline' ? settings.baselineUrl : undefined;
    const url = report.url ?? (configuredUrl === undefined ? undefined : fill(configuredUrl, operation, target));
    const result: DeployResult = { operation, ok: true, digest: report.digest ?? null, evidence, durationMs: evidence.durationMs };
    if (url !== undefined && variantOf(operation) !== 'stable') result.url = url;
    if (report.digest === undefined) result.digestNote = report.problem === undefined ? `the command reported no digest (${settings.output} output)` : `no digest: ${report.problem}`;
    const failure = failureOf(evidence, settings.timeoutMs);
    if (failure !== undefined) return { ...result, ok: false, reason: failure };
    return afterDeploy(result, settings.health, operation, target);
  };

  return {
    name: `command:${settings.service}`,
    supportsBaseline: settings.deployBaseline !== undefined,
    deployCanary: (target) => run('deployCanary', target),
    deployBaseline: (target) => run('deployBaseline', target),
    promote: (target) => run('promote', target),
    removeCanary: (target) => run('removeCanary', target),
    removeBaseline: async (target) => (settings.removeBaseline === undefined ? nothingToRemove(target) : run('removeBaseline', target)),
    close: async () => undefined,
  };
}

function failureOf(evidence: { exitCode: number | null; signal: string | null; timedOut: boolean; spawnError?: string }, timeoutMs: number): string | undefined {
  if (evidence.spawnError !== undefined) return evidence.spawnError;
  if (evidence.timedOut) return `timed out after ${timeoutMs} ms; its process group was killed`;
  if (evidence.signal !== null) return `killed by ${evidence.signal}`;
  if (evidence.exitCode !== 0) return `exited with ${evidence.exitCode}`;
  return undefined;
}

/** With no baseline configured there is never one to remove: success, so cleanup can always run. */
function nothingToRemove(_target: DeployTarget): DeployResult {
  return {
    operation: 'removeBaseline',
    ok: true,
    digest: null,
    digestNote: 'nothing was run: no baseline is configured',
    evidence: { kind: 'command', argv: [], cwd: '', exitCode: null, signal: null, timedOut: false, durationMs: 0, stdout: '', stderr: '', droppedBytes: { stdout: 0, stderr: 0 } },
    durationMs: 0,
  };
}

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandCheckSettings } from '../../../config/sections/compat.js';
import { formatDuration, parseDuration } from '../../../core/duration.js';
import type { CheckOutcome, CheckRequest, CheckRunner } from '../../types.js';
import { killGraceMs, runProcess, type ProcessResult } from './spawn.js';

export interface CommandCheckDeps {
  /** uf's own environment, read only for PATH, HOME and the spec's `passEnv` names (the composition root passes process.env). */
  env: Readonly<Record<string, string | undefined>>;
}

/** The longest failure line quoted in a summary. */
const maxQuotedLine = 200;

/**
 * `kind: command`: runs the spec's argv (no shell) in `cwd`, and the exit code decides the cell:
 * 0 passes, anything else fails with the last line the command printed. A program that cannot
 * start, a signal, a timeout or an abort is an error cell. The child sees PATH and HOME, the
 * `passEnv` names and the `env` map, nothing else of uf's environment.
 */
export function createCommandCheckRunner(deps: CommandCheckDeps): CheckRunner<CommandCheckSettings> {
  return {
    kind: 'command',
    async run(request: CheckRequest<CommandCheckSettings>): Promise<CheckOutcome> {
      const { spec } = request;
      const cwd = resolve(request.baseDir, spec.cwd ?? '.');
      const details = { durationMs: 0, argv: spec.argv, cwd };
      const timeoutMs = parseDuration(spec.timeout);
      if (timeoutMs === undefined) return { status: 'error', summary: `check ${request.checkId}: timeout '${spec.timeout}' is not a duration such as 5m`, exitCode: null, details };
      if (request.signal.aborted) return { status: 'error', summary: `stopped before the command ran: ${reasonOf(request.signal)}`, exitCode: null, details };
      const cwdProblem = directoryProblem(cwd);
      if (cwdProblem !== undefined) return { status: 'error', summary: `cwd ${cwd} ${cwdProblem}`, exitCode: null, details };

      const result = await runProcess({ argv: spec.argv, cwd, env: childEnv(deps.env, spec), timeoutMs, maxOutput: spec.maxOutput, floodLimit: spec.floodLimit, signal: request.signal });
      const evidence = { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, details: { ...details, durationMs: result.durationMs } };
      return { ...verdict(result, spec, timeoutMs, request.signal), ...evidence };
    },
  };
}

function verdict(result: ProcessResult, spec: CommandCheckSettings, timeoutMs: number, signal: AbortSignal): Pick<CheckOutcome, 'status' | 'summary'> {
  const program = spec.argv[0] ?? '';
  switch (result.ending) {
    case 'flooded':
      return { status: 'error', summary: `flooded its output: more than ${spec.floodLimit} bytes on stdout and stderr (floodLimit); its process group was killed` };
    case 'not-started':
      return { status: 'error', summary: `cannot run ${JSON.stringify(program)}: ${startProblem(result.startError)}` };
    case 'timed-out':
      return { status: 'error', summary: `timed out after ${formatDuration(timeoutMs)}; its process group was killed (SIGTERM, SIGKILL after ${formatDuration(killGraceMs)})` };
    case 'aborted':
      return { status: 'error', summary: `stopped while running: ${reasonOf(signal)}; its process group was killed` };
    case 'exited':
      break;
  }
  if (result.signal !== null) return { status: 'error', summary: `killed by ${result.signal}${quoted(lastLine(result))}` };
  if (result.exitCode === 0) return { status: 'pass', summary: `exit 0${quoted(lastLine(result, 'stdout'))}` };
  return { status: 'fail', summary: `exit ${result.exitCode ?? '?'}${quoted(lastLine(result))}` };
}

/** PATH and HOME from uf's environment, the allow-listed names, then the spec's own values. */
function childEnv(env: CommandCheckDeps['env'], spec: CommandCheckSettings): Record<string, string> {
  const child: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', ...spec.passEnv]) {
    const value = env[name];
    if (value !== undefined) child[name] = value;
  }
  return Object.assign(child, spec.env);
}

function directoryProblem(path: string): string | undefined {
  try {
    return statSync(path).isDirectory() ? undefined : 'is not a directory';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
  }
}

function startProblem(code: string | undefined): string {
  if (code === 'ENOENT') return 'no such program (ENOENT): not on PATH nor a file relative to cwd';
  if (code === 'EACCES') return 'not executable (EACCES)';
  return `it could not start (${code ?? 'unknown error'})`;
}

/** The last non-empty line of stderr, else of stdout (or only of `only`), without the cut marker. */
function lastLine(result: ProcessResult, only?: 'stdout'): string {
  const streams = only === 'stdout' ? [result.stdout] : [result.stderr, result.stdout];
  for (const text of streams) {
    const line = text
      .split('\n')
      .map((candidate) => candidate.trim())
      .filter((candidate) => candidate !== '' && !/^…\[cut \d+ bytes\]$/.test(candidate))
      .at(-1);
    if (line !== undefined) return line;
  }
  return '';
}

function quoted(line: string): string {
  if (line === '') return '';
  const flat = line.replace(/\s+/g, ' ');
  return `: ${flat.length > maxQuotedLine ? `${flat.slice(0, maxQuotedLine)}…` : flat}`;
}

function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason ?? 'aborted');
}

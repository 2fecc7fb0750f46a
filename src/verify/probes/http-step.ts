import { request } from 'undici';
import type { HttpJourneyStep } from '../../config/sections/journeys.js';
import { lookupJsonPath, parseJsonPath } from '../../core/json-path.js';
import { fillJson, fillTemplate, resolveStepUrl } from './template.js';
import type { CheckOutcome, ProbeTarget } from './types.js';

/** Bytes of a response body kept for checks and captures; past it the body is cut (and says so). */
const maxBodyBytes = 4 * 1024 * 1024;
const maxSameHostRedirects = 5;

/** One try of an HTTP step: what came back (or why nothing did), and how long it took. */
export interface HttpAnswer {
  url: string;
  status?: number;
  headers: Record<string, string>;
  body: string;
  latencyMs: number;
  /** Set when no usable answer came: refused, timed out, reset, or a redirect to another host. */
  problem?: { check: 'answer' | 'redirect'; text: string };
}

function headerRecord(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).flatMap(([name, value]) => (value === undefined ? [] : [[name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value]])));
}

/** The target's headers under the step's (the step's win), except cookies, which add up: a forcing cookie survives the step's own. */
function requestHeaders(target: ProbeTarget, step: HttpJourneyStep, captures: Readonly<Record<string, string>>, jsonBody: boolean): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries(target.headers ?? {})) merged[name.toLowerCase()] = value;
  for (const [name, value] of Object.entries(step.headers)) {
    const key = name.toLowerCase();
    const filled = fillTemplate(value, captures);
    merged[key] = key === 'cookie' && merged[key] !== undefined ? `${merged[key]}; ${filled}` : filled;
  }
  if (jsonBody && merged['content-type'] === undefined) merged['content-type'] = 'application/json';
  return merged;
}

async function readCapped(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size >= maxBodyBytes) continue;
    chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).subarray(0, maxBodyBytes).toString('utf8');
}

/**
 * Sends the step once, with the whole exchange (redirects and body included) bounded by the
 * step's timeout. Redirects within the same origin are followed (up to five); a redirect to
 * another host is never followed: it comes back as a problem naming where it pointed.
 */
export async function sendHttpStep(step: HttpJourneyStep, target: ProbeTarget, captures: Readonly<Record<string, string>>, monotonicMs: () => number): Promise<HttpAnswer> {
  const jsonBody = step.body !== undefined && typeof step.body !== 'string';
  const body = step.body === undefined ? undefined : typeof step.body === 'string' ? fillTemplate(step.body, captures) : JSON.stringify(fillJson(step.body, captures));
  const headers = requestHeaders(target, step, captures, jsonBody);
  let url = resolveStepUrl(target.baseUrl, fillTemplate(step.url, captures));
  let method: string = step.method;
  let sendBody = body;
  const started = monotonicMs();
  const signal = AbortSignal.timeout(step.timeout);
  const elapsed = () => Math.max(0, monotonicMs() - started);
  try {
    for (let hop = 0; ; hop++) {
      const response = await request(url, { method: method as 'GET', headers, ...(sendBody !== undefined ? { body: sendBody } : {}), signal });
      const responseHeaders = headerRecord(response.headers);
      const location = responseHeaders.location;
      const wantsRedirect = step.expect.status?.some((status) => status >= 300 && status < 400) ?? false;
      if (response.statusCode >= 300 && response.statusCode < 400 && location !== undefined && !wantsRedirect) {
        await response.body.dump();
        const next = new URL(location, url);
        if (next.origin !== new URL(url).origin) {
          return { url, status: response.statusCode, headers: responseHeaders, body: '', latencyMs: elapsed(), problem: { check: 'redirect', text: `redirected to another host, not followed: ${next.href}` } };
        }
        if (hop >= maxSameHostRedirects) return { url, status: response.statusCode, headers: responseHeaders, body: '', latencyMs: elapsed(), problem: { check: 'redirect', text: `more than ${maxSameHostRedirects} redirects` } };
        if (response.statusCode === 303 || ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')) {
          method = 'GET';
          sendBody = undefined;
        }
        url = next.href;
        continue;
      }
      const text = await readCapped(response.body);
      return { url, status: response.statusCode, headers: responseHeaders, body: text, latencyMs: elapsed() };
    }
  } catch (error) {
    const why = signal.aborted ? `no complete answer within ${step.timeout} ms` : error instanceof Error ? error.message : String(error);
    return { url, headers: {}, body: '', latencyMs: elapsed(), problem: { check: 'answer', text: `${step.method} ${url}: ${why}` } };
  }
}

function parseBody(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return { ok: false };
  }
}

const shorten = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** The step's checks against its answer; captures are read only from an answer that passed them. */
export function checkHttpAnswer(step: HttpJourneyStep, answer: HttpAnswer): { checks: CheckOutcome[]; captures: Record<string, string> } {
  if (answer.problem !== undefined) return { checks: [{ check: answer.problem.check, ok: false, expected: 'an answer from the target', actual: answer.problem.text }], captures: {} };
  const checks: CheckOutcome[] = [];
  const status = answer.status ?? 0;
  const expect = step.expect;
  if (expect.status !== undefined) checks.push({ check: 'status', ok: expect.status.includes(status), expected: expect.status.join(' or '), actual: String(status) });
  else checks.push({ check: 'status', ok: status < 400, expected: 'below 400', actual: String(status) });
  for (const text of expect.bodyContains ?? []) checks.push({ check: 'bodyContains', ok: answer.body.includes(text), expected: `body contains ${JSON.stringify(text)}`, actual: shorten(answer.body) });
  const needsJson = expect.json.length > 0 || Object.values(step.capture).some((source) => !source.startsWith('header:'));
  const parsed = needsJson ? parseBody(answer.body) : { ok: false as const };
  for (const jsonCheck of expect.json) {
    const steps = parseJsonPath(jsonCheck.path);
    if (!parsed.ok || !steps.ok) {
      checks.push({ check: 'json', ok: false, expected: `${jsonCheck.path} in a JSON body`, actual: `not JSON: ${shorten(answer.body, 80)}` });
      continue;
    }
    const found = lookupJsonPath(parsed.value, steps.steps);
    if (jsonCheck.exists !== undefined) checks.push({ check: 'json', ok: found.found === jsonCheck.exists, expected: `${jsonCheck.path} ${jsonCheck.exists ? 'exists' : 'is absent'}`, actual: found.found ? `${jsonCheck.path} = ${shorten(JSON.stringify(found.value))}` : `${found.missing} not found` });
    if (jsonCheck.equals !== undefined) {
      const actual = found.found ? JSON.stringify(found.value) : `${found.missing} not found`;
      checks.push({ check: 'json', ok: found.found && JSON.stringify(found.value) === JSON.stringify(jsonCheck.equals), expected: `${jsonCheck.path} = ${JSON.stringify(jsonCheck.equals)}`, actual: shorten(actual) });
    }
  }
  if (expect.maxLatency !== undefined) checks.push({ check: 'maxLatency', ok: answer.latencyMs <= expect.maxLatency, expected: `at most ${expect.maxLatency} ms`, actual: `${Math.round(answer.latencyMs)} ms` });
  const captures: Record<string, string> = {};
  for (const [name, source] of Object.entries(step.capture)) {
    const value = captureValue(source, answer, parsed);
    if (value === undefined) checks.push({ check: 'capture', ok: false, expected: `${name} from ${source}`, actual: 'nothing there' });
    else captures[name] = value;
  }
  return { checks, captures };
}

function captureValue(source: string, answer: HttpAnswer, parsed: { ok: true; value: unknown } | { ok: false }): string | undefined {
  if (source.startsWith('header:')) return answer.headers[source.slice('header:'.length).toLowerCase()];
  const steps = parseJsonPath(source);
  if (!parsed.ok || !steps.ok) return undefined;
  const found = lookupJsonPath(parsed.value, steps.steps);
  if (!found.found || found.value === null || found.value === undefined) return undefined;
  return typeof found.value === 'string' ? found.value : JSON.stringify(found.value);
}

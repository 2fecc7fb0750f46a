import { request } from 'undici';

/** The most a provider reads of one answer: metrics pages and KPI documents are far smaller. */
export const maxAnswerBytes = 8 * 1024 * 1024;

export type FetchedText = { ok: true; status: number; text: string } | { ok: false; reason: string };

/** The URL as it may appear in a reason or evidence: without any user:password part. */
export function endpointOf(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

/**
 * GETs `url` and reads the whole answer as text, within `timeoutMs` for everything (connect,
 * headers and body). Never rejects: a failure comes back with a reason that names the endpoint.
 * A status other than 2xx is a failure, with the start of the body as the server's explanation,
 * unless `keepErrorAnswers` asks for the answer anyway (an API that explains errors in its body).
 */
export async function fetchText(url: string, options: { headers?: Record<string, string>; timeoutMs: number; keepErrorAnswers?: boolean }): Promise<FetchedText> {
  const endpoint = endpointOf(url);
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await request(url, { method: 'GET', headers: options.headers ?? {}, signal });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxAnswerBytes) {
        response.body.destroy();
        return { ok: false, reason: `${endpoint} sent more than ${maxAnswerBytes} bytes` };
      }
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if ((response.statusCode < 200 || response.statusCode > 299) && options.keepErrorAnswers !== true) {
      return { ok: false, reason: `${endpoint} answered ${response.statusCode}${text.trim() === '' ? '' : `: ${text.trim().slice(0, 200)}`}` };
    }
    return { ok: true, status: response.statusCode, text };
  } catch (error) {
    if (signal.aborted) return { ok: false, reason: `${endpoint} did not answer within ${options.timeoutMs} ms` };
    return { ok: false, reason: `cannot reach ${endpoint}: ${describeError(error)}` };
  }
}

function describeError(error: unknown): string {
  const withCode = error as { code?: unknown; cause?: { code?: unknown; message?: unknown }; message?: unknown };
  return String(withCode.cause?.code ?? withCode.code ?? withCode.cause?.message ?? withCode.message ?? error);
}

/** The Authorization header for a bearer token named by `tokenEnv`, or a reason it cannot be had. */
export function bearerHeader(tokenEnv: string | undefined, env: (name: string) => string | undefined): { ok: true; headers: Record<string, string> } | { ok: false; reason: string } {
  if (tokenEnv === undefined) return { ok: true, headers: {} };
  const token = env(tokenEnv);
  if (token === undefined || token === '') return { ok: false, reason: `the environment variable ${tokenEnv} (tokenEnv) is not set` };
  return { ok: true, headers: { authorization: `Bearer ${token}` } };
}

import { Agent, request } from 'undici';
import { startSampleService, type SampleBehaviour, type SampleService } from '../../src/proxy/sample-service.js';
import { startProxy, type ProxyOptions, type RunningProxy } from '../../src/proxy/server.js';

export interface Stack {
  stable: SampleService;
  canary: SampleService;
  proxy: RunningProxy;
  close(): Promise<void>;
}

/** Two sample service versions (`v1` stable, `v2` canary) behind a proxy, all on 127.0.0.1, port 0. */
export async function startStack(options: { stable?: Partial<SampleBehaviour>; canary?: Partial<SampleBehaviour>; proxy?: Partial<ProxyOptions> } = {}): Promise<Stack> {
  const stable = await startSampleService({ version: 'v1', ...options.stable });
  const canary = await startSampleService({ version: 'v2', ...options.canary });
  const proxy = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 }, stable: stable.url, canary: canary.url, ...options.proxy });
  return {
    stable,
    canary,
    proxy,
    async close() {
      await proxy.close();
      await Promise.all([stable.close(), canary.close()]);
    },
  };
}

/** A keep-alive client, as a browser or a service mesh sidecar would be. */
export const client = new Agent({ connections: 64 });

export interface Answer {
  status: number;
  version: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export async function send(url: string, options: { method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'OPTIONS'; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const response = await request(url, { method: options.method ?? 'GET', headers: options.headers, body: options.body, dispatcher: client });
  const body = await response.body.text();
  const version = response.headers['x-version'];
  return { status: response.statusCode, version: typeof version === 'string' ? version : undefined, headers: response.headers, body };
}

/** Runs `count` calls of `task`, `lanes` at a time. */
export async function inLanes(count: number, lanes: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}

export function randomKey(): string {
  return Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function closedPortUrl(): Promise<string> {
  const service = await startSampleService({ version: 'gone' });
  await service.close();
  return service.url;
}

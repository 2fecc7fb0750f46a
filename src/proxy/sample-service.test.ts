import { afterEach, describe, expect, it } from 'vitest';
import { startSampleService, type SampleService } from './sample-service.js';

let service: SampleService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

describe('sample service', () => {
  it('answers {version, path} with an x-version header', async () => {
    service = await startSampleService({ version: 'v1' });
    const response = await fetch(`${service.url}/checkout?x=1`);
    expect(response.headers.get('x-version')).toBe('v1');
    expect(await response.json()).toEqual({ version: 'v1', path: '/checkout' });
  });

  it('fails the configured share of requests and takes the configured time, changeable at run time', async () => {
    service = await startSampleService({ version: 'v2', errorRate: 1 });
    expect((await fetch(`${service.url}/`)).status).toBe(500);
    service.setBehaviour({ errorRate: 0, latencyMs: 150 });
    const started = Date.now();
    expect((await fetch(`${service.url}/`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('echoes request bodies and streams the number of bytes asked for', async () => {
    service = await startSampleService({ version: 'v1' });
    expect(await (await fetch(`${service.url}/echo`, { method: 'POST', body: 'ping' })).text()).toBe('ping');
    expect((await (await fetch(`${service.url}/bytes?size=200000`)).arrayBuffer()).byteLength).toBe(200_000);
  });
});

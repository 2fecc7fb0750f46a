import { startSampleService, type SampleService } from '../../../proxy/sample-service.js';
import type { Upstream } from '../../traffic-router.contract.js';

// Test support for the built-in router's contract runs (left out of the build).

/** The upstream that answered a request through the proxy at `url`. */
export async function sendThroughProxy(url: string, headers: Record<string, string> | undefined): Promise<Upstream> {
  const response = await fetch(`${url}/contract`, { headers });
  await response.arrayBuffer();
  const version = response.headers.get('x-version');
  if (response.status !== 200 || (version !== 'stable' && version !== 'canary' && version !== 'baseline')) throw new Error(`unexpected answer ${response.status} from ${version}`);
  return version;
}

/** Sample services answering `x-version: stable|canary|baseline`. */
export async function startVersions(): Promise<Record<Upstream, SampleService>> {
  const [stable, canary, baseline] = await Promise.all((['stable', 'canary', 'baseline'] as const).map((version) => startSampleService({ version })));
  return { stable: stable!, canary: canary!, baseline: baseline! };
}

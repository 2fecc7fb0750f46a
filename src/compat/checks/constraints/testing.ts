import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConstraintsCheckSettings } from '../../../config/sections/compat.js';
import type { CheckRequest, Consumer, TargetComponent } from '../../types.js';

/** Test support: fixture paths and requests for the constraints runner. */
export const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const fixture = (...parts: string[]): string => join(fixtures, ...parts);

export const settings = (packuments: string[] = []): ConstraintsCheckSettings => ({ id: 'declared-constraints', kind: 'constraints', required: true, tags: [], timeout: '5m', packuments });

export function component(ecosystem: string, name: string, targetVersion: string, fromVersions: string[] = []): TargetComponent {
  return { ecosystem, name, targetVersion, fromVersions };
}

export function serviceRow(service: string, manifests: string[]): Consumer {
  return { id: service, kind: 'service', service, name: service, manifests, source: 'service map' };
}

export function extensionRow(service: string, name: string, kind: Consumer['kind'], manifests: string[]): Consumer {
  return { id: `${service}/${name}`, kind, service, name, manifests, source: manifests[0] ?? 'config' };
}

export function request(consumer: Consumer, components: TargetComponent[], options: { packuments?: string[]; baseDir?: string; signal?: AbortSignal } = {}): CheckRequest<ConstraintsCheckSettings> {
  return {
    checkId: 'declared-constraints',
    kind: 'constraints',
    spec: settings(options.packuments),
    upgradeId: 'upg-1',
    components,
    consumer,
    baseDir: options.baseDir ?? fixtures,
    signal: options.signal ?? new AbortController().signal,
  };
}

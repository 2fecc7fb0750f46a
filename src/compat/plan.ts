import { resolve } from 'node:path';
import { parseDuration } from '../core/duration.js';
import { fillCompatPlaceholders, type CompatCheckSettings, type CompatPlaceholder, type CompatSettings } from '../config/sections/compat.js';
import type { CheckRequest, Consumer, TargetComponent } from './types.js';

/**
 * Planning a matrix (pure): which rows (consumers) and columns (checks) an upgrade has, and one
 * job per cell a check applies to, its spec's placeholders filled for that row. Fail-fast checks
 * (tagged auth, payment or integration) are phase 0 and run first; the rest are phase 1.
 */

export interface PlannedCheck {
  id: string;
  kind: string;
  required: boolean;
  tags: string[];
  phase: 0 | 1;
}

/** A cell's job as stored: the request a runner receives, without its signal. */
export interface PlannedCell {
  consumerId: string;
  checkId: string;
  kind: string;
  phase: 0 | 1;
  required: boolean;
  timeoutMs: number;
  request: Omit<CheckRequest, 'signal'>;
}

export interface MatrixPlan {
  upgradeId: string;
  components: TargetComponent[];
  consumers: Consumer[];
  checks: PlannedCheck[];
  cells: PlannedCell[];
}

export interface PlanInput {
  upgradeId: string;
  components: TargetComponent[];
  /** The services that use the component (the upgrade's blast radius). */
  services: string[];
  compat: CompatSettings;
  /** The config file's folder. */
  baseDir: string;
  /** Extensions found in the services' manifests and lockfiles. */
  discovered?: Consumer[];
}

export function planMatrix(input: PlanInput): MatrixPlan {
  const consumers = planConsumers(input);
  const checks: PlannedCheck[] = input.compat.checks.map((check) => ({
    id: check.id,
    kind: check.kind,
    required: check.required,
    tags: check.tags,
    phase: check.tags.length > 0 ? 0 : 1,
  }));
  const cells: PlannedCell[] = [];
  for (const consumer of consumers) {
    for (const [index, check] of input.compat.checks.entries()) {
      if (!appliesTo(check, consumer)) continue;
      const planned = checks[index]!;
      const values = placeholderValues(input, consumer);
      cells.push({
        consumerId: consumer.id,
        checkId: check.id,
        kind: check.kind,
        phase: planned.phase,
        required: check.required,
        timeoutMs: parseDuration(check.timeout) ?? 300_000,
        request: {
          checkId: check.id,
          kind: check.kind,
          spec: fillDeep(check, values),
          upgradeId: input.upgradeId,
          components: input.components,
          consumer,
          baseDir: input.baseDir,
        },
      });
    }
  }
  return { upgradeId: input.upgradeId, components: input.components, consumers, checks, cells };
}

/** Services first (in the upgrade's order), then their extensions: declared, then discovered. */
function planConsumers(input: PlanInput): Consumer[] {
  const services = new Set(input.services);
  const rows = new Map<string, Consumer>();
  for (const service of input.services) {
    const manifests = input.compat.manifests.filter((entry) => entry.service === service).flatMap((entry) => entry.files.map((file) => resolve(input.baseDir, file)));
    rows.set(service, { id: service, kind: 'service', service, name: service, manifests, source: 'service map' });
  }
  for (const declared of input.compat.consumers) {
    if (!services.has(declared.service)) continue;
    const id = `${declared.service}/${declared.name}`;
    rows.set(id, {
      id,
      kind: declared.kind,
      service: declared.service,
      name: declared.name,
      manifests: declared.manifests.map((file) => resolve(input.baseDir, file)),
      source: 'config',
    });
  }
  for (const found of input.discovered ?? []) {
    if (!services.has(found.service) || rows.has(found.id)) continue;
    rows.set(found.id, found);
  }
  return [...rows.values()];
}

function appliesTo(check: CompatCheckSettings, consumer: Consumer): boolean {
  if (check.services !== undefined && !check.services.includes(consumer.service)) return false;
  // A row that declares nothing has no constraint to evaluate: no cell, rather than one that can only be skipped.
  if (check.kind === 'constraints' && consumer.manifests.length === 0) return false;
  const scope = check.appliesTo ?? (check.kind === 'constraints' ? 'all' : 'services');
  if (scope === 'all') return true;
  return scope === 'services' ? consumer.kind === 'service' : consumer.kind !== 'service';
}

function placeholderValues(input: PlanInput, consumer: Consumer): Record<CompatPlaceholder, string> {
  const first = input.components[0];
  return {
    service: consumer.service,
    consumer: consumer.id,
    name: consumer.name,
    upgrade: input.upgradeId,
    component: first?.name ?? '',
    fromVersion: first?.fromVersions[0] ?? '',
    toVersion: first?.targetVersion ?? '',
  };
}

/** Every string in a JSON-like value with its placeholders filled. */
function fillDeep<T>(value: T, values: Record<CompatPlaceholder, string>): T {
  if (typeof value === 'string') return fillCompatPlaceholders(value, values) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => fillDeep(item, values)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillDeep(item, values)])) as T;
  }
  return value;
}

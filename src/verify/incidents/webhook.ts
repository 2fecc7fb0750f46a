import { z } from 'zod';
import { UfError } from '../../core/errors.js';
import { normaliseSeverity, severityOfUrgency } from './severity.js';
import { changeTagIn, epochInstant, utcInstant } from './instant.js';
import type { IncidentInput } from './types.js';

/**
 * What a webhook delivery asks for: open (or update) an incident, resolve one, or nothing (an
 * event type the factory does not track, such as an acknowledgement).
 */
export type WebhookEvent = { kind: 'open'; incident: IncidentInput } | { kind: 'resolve'; incident: IncidentInput } | { kind: 'ignored'; reason: string };

/**
 * PagerDuty V3 webhook (one event per request, the incident under `event.data`). Only the fields
 * the factory reads are declared; the rest of PagerDuty's payload passes through unread.
 */
const pagerDutySchema = z.object({
  event: z.object({
    id: z.string().optional(),
    event_type: z.string(),
    occurred_at: z.string().optional(),
    data: z.object({
      id: z.string().min(1),
      type: z.string().optional(),
      title: z.string().min(1),
      urgency: z.string().optional(),
      priority: z.object({ summary: z.string() }).nullable().optional(),
      service: z.object({ summary: z.string().min(1) }).nullable().optional(),
      created_at: z.string().optional(),
    }),
  }),
});

/** Opsgenie's outgoing webhook: `action` and a subset of the alert's fields. */
const opsgenieSchema = z.object({
  action: z.string(),
  alert: z.object({
    alertId: z.string().min(1),
    message: z.string().min(1),
    priority: z.string().optional(),
    tags: z.array(z.string()).optional(),
    entity: z.string().optional(),
    createdAt: z.number().optional(),
    updatedAt: z.number().optional(),
  }),
});

/** A PagerDuty- or Opsgenie-shaped body as an incident event; `import_invalid` naming the field otherwise. */
export function parseWebhook(body: unknown, now: Date): WebhookEvent {
  if (isObject(body) && 'event' in body) return fromPagerDuty(parseWith(pagerDutySchema, body, 'PagerDuty'), now);
  if (isObject(body) && 'alert' in body && 'action' in body) return fromOpsgenie(parseWith(opsgenieSchema, body, 'Opsgenie'), now);
  throw new UfError('import_invalid', 'not a PagerDuty V3 webhook ({"event": {"event_type", "data"}}) nor an Opsgenie webhook ({"action", "alert"})', { path: '(body)' });
}

function fromPagerDuty(body: z.output<typeof pagerDutySchema>, now: Date): WebhookEvent {
  const { event } = body;
  const data = event.data;
  if (data.type !== undefined && data.type !== 'incident') return { kind: 'ignored', reason: `PagerDuty event about a ${data.type}, not an incident` };
  const priority = data.priority?.summary ? normaliseSeverity(data.priority.summary) : undefined;
  const startedAt = instantField(data.created_at, 'event.data.created_at') ?? instantField(event.occurred_at, 'event.occurred_at') ?? now.toISOString();
  const incident: IncidentInput = {
    source: 'pagerduty',
    externalId: data.id,
    title: data.title,
    service: data.service?.summary ?? null,
    severity: priority ?? severityOfUrgency(data.urgency),
    startedAt,
    resolvedAt: null,
    changeRef: changeTagIn([data.title]),
  };
  if (event.event_type === 'incident.triggered') return { kind: 'open', incident };
  if (event.event_type === 'incident.resolved') return { kind: 'resolve', incident: { ...incident, resolvedAt: instantField(event.occurred_at, 'event.occurred_at') ?? now.toISOString() } };
  return { kind: 'ignored', reason: `PagerDuty event ${event.event_type} is not tracked (incident.triggered and incident.resolved are)` };
}

function fromOpsgenie(body: z.output<typeof opsgenieSchema>, now: Date): WebhookEvent {
  const { alert } = body;
  const tags = alert.tags ?? [];
  const severity = alert.priority === undefined ? 'sev3' : normaliseSeverity(alert.priority);
  if (severity === undefined) throw new UfError('import_invalid', `"${alert.priority}" is not an Opsgenie priority (P1..P5)`, { path: 'alert.priority' });
  const serviceTag = tags.find((t) => t.startsWith('service:'))?.slice('service:'.length);
  const incident: IncidentInput = {
    source: 'opsgenie',
    externalId: alert.alertId,
    title: alert.message,
    service: alert.entity || serviceTag || null,
    severity,
    startedAt: alert.createdAt !== undefined ? epochInstant(alert.createdAt) : now.toISOString(),
    resolvedAt: null,
    changeRef: changeTagIn(tags),
  };
  if (body.action === 'Create') return { kind: 'open', incident };
  if (body.action === 'Close') return { kind: 'resolve', incident: { ...incident, resolvedAt: alert.updatedAt !== undefined ? epochInstant(alert.updatedAt) : now.toISOString() } };
  return { kind: 'ignored', reason: `Opsgenie action ${body.action} is not tracked (Create and Close are)` };
}

function instantField(value: string | undefined, path: string): string | undefined {
  if (value === undefined) return undefined;
  const utc = utcInstant(value);
  if (utc === undefined) throw new UfError('import_invalid', `"${value}" is not an ISO-8601 time with a zone`, { path });
  return utc;
}

function parseWith<T extends z.ZodType>(schema: T, body: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new UfError('import_invalid', `${what} webhook: ${issue.message}`, { path: issue.path.join('.') });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

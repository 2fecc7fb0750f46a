import { CloudEvent, HTTP } from 'cloudevents';

/** Every event type the factory sends starts with this (reverse-DNS, as CloudEvents recommends). */
export const eventTypePrefix = 'dev.upgradefactory.';

/**
 * The gate events a webhook can carry, without the prefix. `gate.opened`: an upgrade passed a gate
 * and entered the stage `data.gate`; `gate.waiting`: a rollout step waits for an approval;
 * `rollout.*`: a rollout's step or end; `upgrade.*`: an upgrade left the path; `maintenance.started`:
 * a change on customer-facing services began its canary (the maintenance note rides along);
 * `change.*`: a change record was opened, approved, rejected, authorized (the canary gate's
 * condition), had its approvals voided by a scope edit, or got its post-hoc review.
 */
export const gateEventTypes = [
  'gate.opened',
  'gate.waiting',
  'upgrade.closed',
  'upgrade.rolled_back',
  'rollout.step',
  'rollout.paused',
  'rollout.rolled_back',
  'rollout.aborted',
  'rollout.done',
  'maintenance.started',
  'change.opened',
  'change.approved',
  'change.rejected',
  'change.authorized',
  'change.voided',
  'change.reviewed',
] as const;
export type GateEventType = (typeof gateEventTypes)[number];

export interface GateEvent {
  type: GateEventType;
  /** The upgrade or rollout id the event is about (CloudEvents `subject`). */
  subject: string;
  /** ISO-8601 UTC. */
  time: string;
  /** One line a person reads in a chat message. */
  summary: string;
  data: Record<string, unknown>;
}

/** The CloudEvents 1.0 event, built and validated by the SDK (specversion, id, source, type are required). */
export function toCloudEvent(event: GateEvent, source: string, id?: string): CloudEvent<Record<string, unknown>> {
  return new CloudEvent<Record<string, unknown>>({
    ...(id ? { id } : {}),
    specversion: '1.0',
    type: `${eventTypePrefix}${event.type}`,
    source,
    subject: event.subject,
    time: event.time,
    datacontenttype: 'application/json',
    data: { summary: event.summary, ...event.data },
  });
}

/** The structured-mode HTTP message (body and content type) of a stored CloudEvent. */
export function structuredMessage(cloudEventJson: string): { headers: Record<string, string>; body: string } {
  const event = new CloudEvent<Record<string, unknown>>(JSON.parse(cloudEventJson) as Record<string, unknown> & { type: string; source: string });
  const message = HTTP.structured(event);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) if (typeof value === 'string') headers[name] = value;
  return { headers, body: String(message.body) };
}

/**
 * Whether a target's `events` filter takes a type: `*`; a full or short type; a prefix `gate.*`
 * (short or full). Types are compared without the prefix.
 */
export function eventSelected(type: string, patterns: readonly string[]): boolean {
  const short = type.startsWith(eventTypePrefix) ? type.slice(eventTypePrefix.length) : type;
  return patterns.some((raw) => {
    if (raw === '*') return true;
    const pattern = raw.startsWith(eventTypePrefix) ? raw.slice(eventTypePrefix.length) : raw;
    if (pattern.endsWith('.*')) return short.startsWith(pattern.slice(0, -1));
    return short === pattern;
  });
}

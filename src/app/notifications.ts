import { randomUUID } from 'node:crypto';
import type { FactoryConfig } from '../config/schema.js';
import { parseDuration } from '../core/duration.js';
import { stages } from '../core/upgrade/index.js';
import { maintenanceNote, maintenanceNotes } from '../governance/maintenance/note.js';
import { renderAtom, renderMarkdown } from '../governance/maintenance/render.js';
import { loadNoteTemplates, type NoteTemplates } from '../governance/maintenance/templates.js';
import type { LoadedConfig } from '../config/load.js';
import { deliverDue, type DeliveryDeps } from '../governance/notifiers/deliver.js';
import { eventSelected, toCloudEvent, type GateEvent } from '../governance/notifiers/gate-event.js';
import { enqueueDeliveries } from '../governance/notifiers/store.js';
import type { AppEvent } from './events.js';
import type { AppRoot } from './root.js';

type NotifyRoot = Pick<AppRoot, 'store' | 'clock' | 'events' | 'loaded' | 'logger'> & { env?: Readonly<Record<string, string | undefined>> };

/** The maintenance note templates of a config: its files (read and checked now) or the built-in ones. */
export function noteTemplates(loaded: Pick<LoadedConfig, 'config' | 'baseDir'>): NoteTemplates {
  return loadNoteTemplates(loaded.config.maintenance.templates, loaded.baseDir);
}

/** The CloudEvents `source`: `notifications.source`, else the server's public URL, else a URN of the factory's name. */
export function eventSource(config: FactoryConfig): string {
  return config.notifications.source ?? config.server.publicUrl ?? `urn:upgrade-factory:${encodeURIComponent(config.name)}`;
}

/**
 * The gate events of an app event. Upgrade transitions are gates (each arrow of the path); a
 * rollout's stored decisions are reported when its attempt, step or phase changes (`seen` holds the
 * last one per rollout in this process; deploying, health checks and promotions in between are not
 * gate events). Rollout notifications repeat what these say and are not sent.
 */
export function gateEventsOf(event: AppEvent, seen: Map<string, string>): GateEvent[] {
  if (event.type === 'upgrade.transitioned') {
    const data = { upgradeId: event.upgradeId, gate: event.to, actor: event.actor, reason: event.reason };
    const onPath = (stages as readonly string[]).includes(event.to);
    if (onPath) return [{ type: 'gate.opened', subject: event.upgradeId, time: event.at, summary: `Upgrade ${event.upgradeId} entered ${event.to}`, data }];
    if (event.to === 'rolled_back') return [{ type: 'upgrade.rolled_back', subject: event.upgradeId, time: event.at, summary: `Upgrade ${event.upgradeId} was rolled back`, data }];
    return [{ type: 'upgrade.closed', subject: event.upgradeId, time: event.at, summary: `Upgrade ${event.upgradeId} was ${event.to}`, data }];
  }
  if (event.type === 'change.updated') {
    const what = { opened: 'was opened', approved: `was approved by ${event.actor}`, rejected: `was rejected by ${event.actor}`, authorized: 'is authorized', voided: 'lost its approvals (scope edited)', reviewed: `got its post-hoc review from ${event.actor}` }[event.action];
    return [
      {
        type: `change.${event.action}`,
        subject: event.changeId,
        time: event.at,
        summary: `Change ${event.changeId} (${event.upgradeId}) ${what}`,
        data: { changeId: event.changeId, upgradeId: event.upgradeId, status: event.status, actor: event.actor, reason: event.reason },
      },
    ];
  }
  if (event.type !== 'rollout.updated') return [];
  const kinds = { analysing: 'rollout.step', 'awaiting-approval': 'gate.waiting', paused: 'rollout.paused', 'rolled-back': 'rollout.rolled_back', aborted: 'rollout.aborted', done: 'rollout.done' } as const;
  const type = kinds[event.phase as keyof typeof kinds];
  const key = `${event.attempt}:${event.step}:${event.phase}`;
  if (seen.get(event.rolloutId) === key) return [];
  seen.set(event.rolloutId, key);
  if (!type) return [];
  const what = {
    'rollout.step': `is analysing step ${event.step + 1} at ${event.weight}%`,
    'gate.waiting': `waits for an approval at ${event.weight}%`,
    'rollout.paused': `paused${event.pauseReason ? ` (${event.pauseReason})` : ''} at ${event.weight}%`,
    'rollout.rolled_back': 'was rolled back',
    'rollout.aborted': 'was aborted',
    'rollout.done': 'is done: 100% on the new version',
  }[type];
  return [
    {
      type,
      subject: event.rolloutId,
      time: event.at,
      summary: `Rollout of ${event.service} (${event.upgradeId}) ${what}`,
      data: { rolloutId: event.rolloutId, upgradeId: event.upgradeId, service: event.service, attempt: event.attempt, phase: event.phase, step: event.step, weight: event.weight, ...(event.pauseReason ? { pauseReason: event.pauseReason } : {}), decisions: event.decisions.map((d) => d.text) },
    },
  ];
}

/** Queues a gate event for every target whose `events` filter takes it; returns how many were queued. */
export async function queueGateEvent(root: Pick<NotifyRoot, 'store' | 'loaded'>, event: GateEvent): Promise<number> {
  const config = root.loaded.config;
  const cloudEvent = toCloudEvent(event, eventSource(config), randomUUID());
  const targets = config.notifications.targets.filter((t) => eventSelected(cloudEvent.type, t.events)).map((t) => t.name);
  return enqueueDeliveries(root.store.db, { id: cloudEvent.id, type: cloudEvent.type, subject: event.subject, json: JSON.stringify(cloudEvent) }, targets, event.time);
}

/**
 * Subscribes the outbox to the event bus: every gate event is written to the store for each
 * matching target, for `uf notify deliver` or the server's loop to send (nothing is sent from the
 * publisher's path). `flush` waits for the writes in flight: the root calls it before closing the
 * store, so a short CLI command loses no event. Without targets, nothing subscribes.
 */
export function attachNotifications(root: NotifyRoot): { flush(): Promise<void>; detach(): void } {
  if (root.loaded.config.notifications.targets.length === 0) return { flush: () => Promise.resolve(), detach: () => undefined };
  const templates = noteTemplates(root.loaded);
  const seen = new Map<string, string>();
  const inFlight = new Set<Promise<unknown>>();
  const queue = (event: GateEvent) => {
    const work = queueGateEvent(root, event)
      .catch((error: unknown) => root.logger.error({ err: error, type: event.type, subject: event.subject }, 'notification not queued'))
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
  };
  const detach = root.events.subscribe((event) => {
    for (const gateEvent of gateEventsOf(event, seen)) queue(gateEvent);
    // The canary of a change on customer-facing services starts its maintenance: announced with its note.
    if (event.type === 'upgrade.transitioned' && event.to === 'canary') {
      const work = maintenanceNote(root.store.db, root.loaded.config.maintenance, event.upgradeId)
        .then((note) =>
          queue({
            type: 'maintenance.started',
            subject: event.upgradeId,
            time: event.at,
            summary: note.title,
            data: { upgradeId: event.upgradeId, changeId: note.changeId, services: note.services.map((s) => s.service), plannedStart: note.plannedStart, plannedEnd: note.plannedEnd, markdown: renderMarkdown(note, templates) },
          }),
        )
        // No change record or no customer-facing service: nothing to announce.
        .catch(() => undefined)
        .finally(() => inFlight.delete(work));
      inFlight.add(work);
    }
  });
  return {
    async flush() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    detach,
  };
}

/** `quiet`: no log line per attempt (the CLI prints the attempts itself, and its stdout may be JSON). */
export function deliveryDeps(root: NotifyRoot, options: { quiet?: boolean } = {}): DeliveryDeps {
  const holder = `uf:${process.pid}:${randomUUID().slice(0, 8)}`;
  if (options.quiet) return { db: root.store.db, clock: root.clock, config: root.loaded.config.notifications, env: root.env ?? process.env, holder };
  return {
    db: root.store.db,
    clock: root.clock,
    config: root.loaded.config.notifications,
    env: root.env ?? process.env,
    holder,
    // Fixed messages and the target's name: never its URL or secret.
    log: (a) => root.logger.info({ target: a.target, eventId: a.eventId, attempt: a.attempt, outcome: a.outcome, statusCode: a.statusCode, error: a.error, nextAttemptAt: a.nextAttemptAt }, 'notification attempt'),
  };
}

/** Delivers due notifications every `notifications.delivery.interval` until `signal` aborts (`uf serve`). */
export async function runDeliveryLoop(root: NotifyRoot, signal: AbortSignal): Promise<void> {
  const deps = deliveryDeps(root);
  const interval = parseDuration(root.loaded.config.notifications.delivery.interval)!;
  while (!signal.aborted) {
    try {
      // A full batch: more may be due at once.
      while (!signal.aborted && (await deliverDue(deps)).length >= 20);
    } catch (error) {
      root.logger.error({ err: error }, 'notification delivery round failed');
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, interval);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}

/** The Atom feed of maintenance notes: changes that end after now minus `maintenance.feed.keep`. */
export async function maintenanceFeed(root: Pick<NotifyRoot, 'store' | 'clock' | 'loaded'>, selfUrl?: string, templates: NoteTemplates = noteTemplates(root.loaded)): Promise<string> {
  const config = root.loaded.config;
  const now = root.clock.now();
  const since = new Date(now.getTime() - parseDuration(config.maintenance.feed.keep)!).toISOString();
  const notes = await maintenanceNotes(root.store.db, config.maintenance, since);
  return renderAtom(notes, { factory: config.name, title: config.maintenance.feed.title, ...(config.maintenance.feed.link ? { link: config.maintenance.feed.link } : {}), ...(selfUrl ? { selfUrl } : {}), emptyUpdated: '1970-01-01T00:00:00Z' }, templates);
}

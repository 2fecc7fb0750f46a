import { z } from 'zod';
import { durationFormat, parseDuration } from '../../core/duration.js';

/**
 * The allow-list of hosts outgoing webhooks may reach: a name matches itself (case-insensitive),
 * `*.example.com` matches every subdomain of example.com (not example.com itself). IPv6 literals
 * are written without brackets. Ports are not part of an entry.
 */
export const hostPattern = /^(\*\.)?[A-Za-z0-9]([A-Za-z0-9.:-]*[A-Za-z0-9])?$/;

export function hostAllowed(host: string, allowHosts: readonly string[]): boolean {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  return allowHosts.some((entry) => {
    const allowed = entry.toLowerCase();
    if (allowed.startsWith('*.')) return name.endsWith(allowed.slice(1)) && name.length > allowed.length - 1;
    return name === allowed;
  });
}

const durationText = z.string({ error: durationFormat }).refine((value) => parseDuration(value) !== undefined, { message: durationFormat });
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the NAME of an environment variable, such as UF_WEBHOOK_SECRET (never the secret itself)');
const eventPattern = z
  .string()
  .regex(/^(\*|[a-z_]+(\.[a-z_]+)*(\.\*)?)$/, 'an event type such as gate.opened (or dev.upgradefactory.gate.opened), a prefix such as gate.*, or *');

const targetSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a kebab-case name such as releases-slack'),
    /** The receiver; its host must be in `allowHosts`. */
    url: z.url({ protocol: /^https?$/, error: 'an http(s) URL such as https://hooks.example.com/uf' }).optional(),
    /** Instead of `url`: the environment variable holding it, for URLs that embed a secret (Slack's). */
    urlEnv: envName.optional(),
    format: z.enum(['cloudevents', 'slack']).default('cloudevents'),
    /** Which event types the target receives: full types, short ones without `dev.upgradefactory.`, prefixes ending in `.*`. */
    events: z.array(eventPattern).min(1).default(['*']),
    /** The environment variable holding the HMAC key that signs each payload (`X-UF-Signature`). */
    secretEnv: envName.optional(),
  })
  .strict()
  .superRefine((target, ctx) => {
    if ((target.url === undefined) === (target.urlEnv === undefined)) ctx.addIssue({ code: 'custom', path: ['url'], message: 'a target needs exactly one of url or urlEnv' });
  });

/**
 * `notifications:` webhooks on every gate event, as CloudEvents 1.0 (structured JSON) or Slack
 * incoming-webhook messages. A target's host must be in `allowHosts` (refused when the config
 * loads, and again before each delivery, since `urlEnv` is read only then). Deliveries wait in the
 * store and are retried with exponential backoff and jitter, up to `delivery.maxAttempts`.
 */
export const notificationsSchema = z
  .object({
    /** Hosts webhooks may go to: `hooks.slack.com`, or `*.example.com` for its subdomains. Empty: none. */
    allowHosts: z.array(z.string().regex(hostPattern, 'a host name such as hooks.example.com, *.example.com, or an IP address')).default([]),
    /** The CloudEvents `source`; `server.publicUrl`, else `urn:upgrade-factory:NAME`, when absent. */
    source: z.string().min(1).optional(),
    targets: z.array(targetSchema).default([]),
    delivery: z
      .object({
        maxAttempts: z.number().int().min(1).max(50).default(8),
        initialBackoff: durationText.default('10s'),
        maxBackoff: durationText.default('15m'),
        /** A receiver's `Retry-After` (on 408, 429, 5xx) is honoured up to this long. */
        maxRetryAfter: durationText.default('1h'),
        /** One attempt, connection to last byte. */
        timeout: durationText.default('10s'),
        /** How often `uf serve` looks for due deliveries. */
        interval: durationText.default('2s'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((notifications, ctx) => {
    const seen = new Set<string>();
    notifications.targets.forEach((target, index) => {
      if (seen.has(target.name)) ctx.addIssue({ code: 'custom', path: ['targets', index, 'name'], message: `target name '${target.name}' is used twice` });
      seen.add(target.name);
      if (target.url === undefined) return;
      const host = new URL(target.url).hostname;
      if (!hostAllowed(host, notifications.allowHosts)) {
        ctx.addIssue({ code: 'custom', path: ['targets', index, 'url'], message: `host '${host}' is not in notifications.allowHosts (${notifications.allowHosts.join(', ') || 'empty'}): add it there to allow webhooks to it` });
      }
    });
  })
  .prefault({});

const slaSchema = z
  .object({
    /** Monthly availability the customers are promised, in percent: 99.9. */
    availability: z.number().gt(0).lt(100),
    /** The period the availability is measured over. */
    period: durationText.default('30d'),
    /** Whether announced maintenance is excluded from the SLA's downtime (many contracts say so). */
    excludesAnnouncedMaintenance: z.boolean().default(false),
  })
  .strict();

/**
 * `maintenance:` customer-facing maintenance notes (Markdown, HTML, an Atom feed) for changes on
 * customer-facing services. A service is customer-facing when listed here with `customerFacing:
 * true`, or when `internetExposedIsCustomerFacing` holds and the catalog marks it internet-exposed
 * (`upgrade-factory.io/internet-exposed: "true"`).
 */
export const maintenanceSchema = z
  .object({
    services: z
      .record(
        z.string().min(1),
        z
          .object({
            customerFacing: z.boolean().default(true),
            /** How customers know the service: "Checkout", "Public API". */
            displayName: z.string().min(1).optional(),
            sla: slaSchema.optional(),
          })
          .strict(),
      )
      .default({}),
    internetExposedIsCustomerFacing: z.boolean().default(true),
    /**
     * Your own wording: Mustache templates (files relative to the config file) for the Markdown and
     * the HTML note; the feed carries the HTML one. Absent: the built-in wording.
     */
    templates: z
      .object({
        markdown: z.string().min(1).optional(),
        html: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    feed: z
      .object({
        title: z.string().min(1).default('Planned maintenance'),
        /** Changes that ended longer ago than this leave the feed. */
        keep: durationText.default('30d'),
        /** The status page's link for the feed, when there is one. */
        link: z.url().optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

export type NotificationsConfig = z.infer<typeof notificationsSchema>;
export type NotificationTargetConfig = z.infer<typeof targetSchema>;
export type MaintenanceConfig = z.infer<typeof maintenanceSchema>;
export type ServiceSla = z.infer<typeof slaSchema>;

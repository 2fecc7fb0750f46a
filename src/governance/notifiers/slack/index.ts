import { CloudEvent } from 'cloudevents';
import { eventTypePrefix } from '../gate-event.js';
import type { Notifier } from '../types.js';

/** Slack's mrkdwn escapes exactly these three (api.slack.com/reference/surfaces/formatting). */
export function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

const interesting = ['upgradeId', 'rolloutId', 'service', 'gate', 'phase', 'weight', 'actor', 'reason', 'plannedStart', 'plannedEnd'] as const;

/**
 * A Slack incoming-webhook message: `text` (the notification's fallback) and blocks: a section with
 * the summary, the facts as fields, and a context line with the event type, subject and id.
 */
export const slackNotifier: Notifier = {
  format: 'slack',
  render(cloudEventJson) {
    const event = new CloudEvent<Record<string, unknown>>(JSON.parse(cloudEventJson) as Record<string, unknown> & { type: string; source: string });
    const data = event.data ?? {};
    const type = event.type.startsWith(eventTypePrefix) ? event.type.slice(eventTypePrefix.length) : event.type;
    const summary = typeof data.summary === 'string' ? data.summary : type;
    const fields = interesting
      .filter((key) => data[key] !== undefined && data[key] !== null && data[key] !== '')
      .slice(0, 10)
      .map((key) => ({ type: 'mrkdwn', text: `*${key}*\n${slackEscape(String(data[key])).slice(0, 1900)}` }));
    const note = typeof data.markdown === 'string' ? [{ type: 'section', text: { type: 'mrkdwn', text: slackEscape(data.markdown).slice(0, 2900) } }] : [];
    const blocks = [
      { type: 'section', text: { type: 'mrkdwn', text: `*${slackEscape(summary)}*` } },
      ...(fields.length > 0 ? [{ type: 'section', fields }] : []),
      ...note,
      { type: 'context', elements: [{ type: 'mrkdwn', text: slackEscape(`${type} · ${event.subject ?? ''} · ${event.time ?? ''} · ${event.id}`) }] },
    ];
    return { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `[upgrade factory] ${summary}`, blocks }) };
  },
};

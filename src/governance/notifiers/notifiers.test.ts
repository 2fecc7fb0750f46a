import { HTTP } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { hostAllowed } from '../../config/sections/notifications.js';
import { backoffMs } from './backoff.js';
import { eventSelected, toCloudEvent } from './gate-event.js';
import { notifiers } from './index.js';
import { signPayload, verifySignature } from './signature.js';

const event = toCloudEvent({ type: 'gate.waiting', subject: 'rol_1', time: '2026-12-01T09:00:00.000Z', summary: 'Rollout of <checkout> & co waits', data: { rolloutId: 'rol_1', weight: 25 } }, 'urn:upgrade-factory:test', 'evt-1');
const json = JSON.stringify(event);

describe('signatures', () => {
  const now = 1_800_000_000;
  it('verifies its own signature, and refuses a changed body, a wrong secret, an old timestamp or a missing header', () => {
    const header = signPayload('s3cret', '{"a":1}', now);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature('s3cret', header, '{"a":1}', { nowSeconds: now + 10 })).toEqual({ ok: true, timestamp: now });
    expect(verifySignature('s3cret', header, '{"a":2}', { nowSeconds: now }).ok).toBe(false);
    expect(verifySignature('other', header, '{"a":1}', { nowSeconds: now }).ok).toBe(false);
    expect(verifySignature('s3cret', header, '{"a":1}', { nowSeconds: now + 301 })).toEqual({ ok: false, reason: 'the timestamp is outside the tolerance (a replay, or a clock far off)' });
    expect(verifySignature('s3cret', undefined, '{"a":1}', { nowSeconds: now }).ok).toBe(false);
    // A replay with a fresh timestamp but the old signature fails: the time is signed too.
    expect(verifySignature('s3cret', header.replace(`t=${now}`, `t=${now + 100}`), '{"a":1}', { nowSeconds: now + 100 }).ok).toBe(false);
  });
  it('accepts any of several v1 signatures (a secret being rotated)', () => {
    const fresh = signPayload('new', 'body', now).split(',')[1]!;
    const old = signPayload('old', 'body', now);
    expect(verifySignature('new', `${old},${fresh}`, 'body', { nowSeconds: now }).ok).toBe(true);
  });
});

describe('event filters, allow-list and backoff', () => {
  it('selects by full or short type, prefix or *', () => {
    expect(eventSelected('dev.upgradefactory.gate.opened', ['gate.*'])).toBe(true);
    expect(eventSelected('dev.upgradefactory.gate.opened', ['dev.upgradefactory.gate.opened'])).toBe(true);
    expect(eventSelected('dev.upgradefactory.gate.opened', ['rollout.*', 'gate.waiting'])).toBe(false);
    expect(eventSelected('dev.upgradefactory.rollout.done', ['*'])).toBe(true);
  });
  it('allows exact hosts and subdomains of a wildcard, nothing else', () => {
    expect(hostAllowed('hooks.example.com', ['hooks.example.com'])).toBe(true);
    expect(hostAllowed('HOOKS.example.com.', ['hooks.example.com'])).toBe(true);
    expect(hostAllowed('a.b.example.com', ['*.example.com'])).toBe(true);
    expect(hostAllowed('example.com', ['*.example.com'])).toBe(false);
    expect(hostAllowed('evilexample.com', ['*.example.com'])).toBe(false);
    expect(hostAllowed('hooks.example.com.evil.net', ['hooks.example.com'])).toBe(false);
  });
  it('backs off exponentially between half and all of each capped step', () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffMs(n, 1_000, 10_000, () => 0))).toEqual([500, 1_000, 2_000, 4_000, 5_000]);
    expect([1, 2, 3, 4, 10].map((n) => backoffMs(n, 1_000, 10_000, () => 0.999_999))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000]);
  });
});

describe('notifiers', () => {
  it('cloudevents: structured mode the SDK reads back as the same event', () => {
    const message = notifiers.cloudevents.render(json);
    expect(message.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
    const back = HTTP.toEvent({ headers: message.headers, body: message.body }) as typeof event;
    expect({ id: back.id, type: back.type, source: back.source, subject: back.subject, specversion: back.specversion }).toEqual({ id: 'evt-1', type: 'dev.upgradefactory.gate.waiting', source: 'urn:upgrade-factory:test', subject: 'rol_1', specversion: '1.0' });
  });
  it('slack: text and blocks, mrkdwn-escaped', () => {
    const message = JSON.parse(notifiers.slack.render(json).body) as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(message.text).toBe('[upgrade factory] Rollout of <checkout> & co waits');
    expect(message.blocks[0]!.text!.text).toBe('*Rollout of &lt;checkout&gt; &amp; co waits*');
    expect(message.blocks.map((b) => b.type)).toEqual(['section', 'section', 'context']);
  });
});

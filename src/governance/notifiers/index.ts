import { cloudEventsNotifier } from './cloudevents/index.js';
import { slackNotifier } from './slack/index.js';
import type { Notifier, NotifierFormat } from './types.js';

/** The notifiers by the `format` a target names; adding one is a folder and an entry here. */
export const notifiers = {
  cloudevents: cloudEventsNotifier,
  slack: slackNotifier,
} as const satisfies Record<NotifierFormat, Notifier>;

export type { Notifier, NotifierFormat } from './types.js';
export { signPayload, verifySignature, signatureHeader, type SignatureCheck } from './signature.js';
export { eventSelected, eventTypePrefix, gateEventTypes, toCloudEvent, type GateEvent, type GateEventType } from './gate-event.js';

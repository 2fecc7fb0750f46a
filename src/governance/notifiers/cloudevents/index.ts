import { structuredMessage } from '../gate-event.js';
import type { Notifier } from '../types.js';

/** CloudEvents 1.0, HTTP structured content mode: the event as `application/cloudevents+json`, through the SDK. */
export const cloudEventsNotifier: Notifier = {
  format: 'cloudevents',
  render: (cloudEventJson) => structuredMessage(cloudEventJson),
};

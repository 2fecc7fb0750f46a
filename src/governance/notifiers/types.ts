import type { NotificationTargetConfig } from '../../config/sections/notifications.js';

export type NotifierFormat = NotificationTargetConfig['format'];

/**
 * A notifier turns a stored CloudEvent (structured JSON) into one HTTP request body for a kind of
 * receiver. It only renders: sending, signing and retries are the delivery's, the same for all.
 */
export interface Notifier {
  format: NotifierFormat;
  render(cloudEventJson: string): { headers: Record<string, string>; body: string };
}

export {
  type AlertmanagerWebhook,
  alertmanagerWebhookSchema,
  parseAlertmanagerWebhook,
} from './alertmanager-webhook.ts';
export type {
  Delivery,
  DeliveryLedger,
  IntakeInbox,
  IntakeLogger,
  IntakeServerOptions,
} from './intake-options.ts';
export { createIntakeServer, type IntakeServer, MAX_BODY_BYTES } from './intake-server.ts';
export { type PagerDutyIncident, pagerDutyIncidentSchema } from './pagerduty-incident.ts';
export {
  createPagerDutyIncidentReader,
  type EnrichResult,
  type PagerDutyIncidentReaderOptions,
} from './pagerduty-incident-reader.ts';
export { signPagerDutyBody, verifyPagerDutySignature } from './pagerduty-signature.ts';
export {
  type PagerDutyEvent,
  type PagerDutyServiceLabels,
  pagerDutyWebhookSchema,
  parsePagerDutyWebhook,
} from './pagerduty-webhook.ts';
export type { ParseResult } from './parse-result.ts';
export {
  parseSlackAlertMessage,
  type SlackAlertResult,
  type SlackAlertSource,
} from './slack-alert-message.ts';
export { type SlackMessage, slackMessageSchema } from './slack-message.ts';
export type { IntakeSettings } from './thread/intake-protocol.ts';
export { type IntakeThread, type IntakeThreadOptions, startIntakeThread } from './thread/intake-thread.ts';
export { checkWebhookAuth, type WebhookAuth } from './webhook-auth.ts';
export type { QueueSlot, WorkQueue } from './work-queue.ts';

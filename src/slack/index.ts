export { createSlackApp, type SlackApp, type SlackAppOptions, type SlackTokens } from './app.ts';
export { type WeeklyDigest, weeklyDigestMessage } from './blocks/index.ts';
export { boltLogger, type EdgeLogger, edgeLoggerFromPino } from './edge-logger.ts';
export type { ChannelMessage, ThreadQuestion } from './listeners/index.ts';
export {
  createSlackNotifier,
  OUTBOX_EVENT_TYPE,
  type SlackNotifier,
  type SlackNotifierOptions,
} from './notifier.ts';
export type {
  IncidentMessageRef,
  IncidentMessageRefs,
  SlackOutbox,
  SlackOutboxEntry,
} from './outbox-entry.ts';
export { type ParsedCommand, parseRemediateCommand, type RemediateCommand } from './remediate-command.ts';
export { createSendQueue, type SendQueue } from './send-queue.ts';
export { callSlack, requiredBotScopes } from './slack-api.ts';
export { createSocketReceiver, type SocketReceiver, type SocketReceiverOptions } from './socket-receiver.ts';
export {
  createUserGroupResolver,
  type UserGroupResolver,
  type UserGroupResolverOptions,
} from './user-groups.ts';
export {
  createSlackLookupClient,
  createSlackWebClient,
  type SlackRetryOptions,
  type SlackWebClient,
} from './web-client.ts';

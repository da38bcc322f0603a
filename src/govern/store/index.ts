export {
  type AuditAppendInput,
  type AuditLog,
  type AuditLogOptions,
  type AuditQuery,
  createAuditLog,
  DEFAULT_SEGMENT_BYTES,
} from './audit-log.ts';
export {
  createIntakeInbox,
  INBOX_CURSOR_FILE_NAME,
  INBOX_FILE_NAME,
  type InboxEntry,
  type IntakeInbox,
} from './intake-inbox.ts';
export {
  applyTransition,
  type TransitionRecord,
  type TransitionRequest,
  type TransitionResult,
} from './proposal-transition.ts';
export { readStateSnapshot, type StateSnapshot } from './read-state-snapshot.ts';
export {
  emptyRuleRecords,
  RULE_RECORDS_FILE_NAME,
  type RuleRecordsFile,
  readRuleRecords,
} from './rule-records-file.ts';
export { createRuleRecordsStore, type RuleRecordsStore } from './rule-records-store.ts';
export {
  createSlackOutboxFile,
  OUTBOX_FILE_NAME,
  type OutboxFileEntry,
  type SlackOutboxFile,
} from './slack-outbox-file.ts';
export { STATE_FILE_NAME, STATE_SCHEMA_VERSION } from './state-file.ts';
export {
  createStateStore,
  DEFAULT_DELIVERY_RETENTION,
  type StateStore,
  type StateStoreOptions,
} from './state-store.ts';
export { STORE_ERROR_CODES, StoreError, type StoreErrorCode } from './store-error.ts';
export {
  type ThreadRecord,
  type ThreadTurnRecord,
  threadRecordSchema,
  threadTurnSchema,
} from './thread-record.ts';
export { createWriteWatch, type WriteWatch } from './write-watch.ts';

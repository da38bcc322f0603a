export const STORE_ERROR_CODES = ['corrupt-file', 'invalid-record', 'conflict', 'write-failed'] as const;
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

/**
 * Everything the store and the audit log throw. `file` names what to look at on the volume; `seq` the
 * audit record, when one is involved. Expected outcomes (wrong state, rate limit taken, duplicate
 * delivery) are return values instead.
 */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly file: string | undefined;
  readonly seq: number | undefined;

  constructor(
    code: StoreErrorCode,
    message: string,
    details: { file?: string; seq?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'StoreError';
    this.code = code;
    this.file = details.file;
    this.seq = details.seq;
  }
}

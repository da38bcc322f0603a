import type { IntakeLogger } from '../../src/observe/intake/index.ts';

/** A logger that keeps what it was told, so tests can assert on failures instead of printing them. */
export class RecordingLogger implements IntakeLogger {
  readonly entries: { level: 'warn' | 'error'; obj: object; msg: string }[] = [];

  warn(obj: object, msg: string): void {
    this.entries.push({ level: 'warn', obj, msg });
  }

  error(obj: object, msg: string): void {
    this.entries.push({ level: 'error', obj, msg });
  }
}

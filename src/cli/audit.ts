import { verifyAuditLog } from '../govern/store/audit-verify.ts';
import type { CliIo } from './cli-io.ts';

export const AUDIT_USAGE = 'belay audit verify [DIR]';
const DEFAULT_DIR = '.belay/audit';

/** `belay audit verify [DIR]`: recomputes the audit hash chain; exit 0 when intact, 1 at the first break. */
export async function runAudit(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, dir = DEFAULT_DIR, ...rest] = args;
  if (sub !== 'verify' || rest.length > 0 || dir.startsWith('-')) {
    io.stderr(`usage: ${AUDIT_USAGE}`);
    io.stderr(
      `Recomputes the audit log's hash chain in DIR (default ${DEFAULT_DIR}, the store dir's audit/) and reports the ` +
        'first record that was edited, removed or reordered.',
    );
    return args.includes('--help') || args.includes('-h') ? 0 : 2;
  }
  const result = await verifyAuditLog(dir);
  if (!result.ok) {
    io.stdout(`BROKEN: ${result.problem}`);
    if (result.file !== undefined) io.stdout(`  segment: ${result.file}`);
    if (result.seq !== undefined) io.stdout(`  seq: ${result.seq}`);
    io.stdout(
      `${result.records} record${result.records === 1 ? '' : 's'} before it verified. Nothing after this point can be ` +
        'trusted; compare with your backup of the audit directory to see what changed.',
    );
    return 1;
  }
  io.stdout(
    `intact: ${result.records} record${result.records === 1 ? '' : 's'} in ${result.segments} segment${result.segments === 1 ? '' : 's'}, hash chain verified.`,
  );
  if (result.tornBytes > 0) {
    io.stdout(
      `The newest segment ends in an unterminated line (${result.tornBytes} bytes): a write cut off by a crash, never ` +
        'acknowledged. Ignored; Belay cuts it away when it next starts.',
    );
  }
  return 0;
}

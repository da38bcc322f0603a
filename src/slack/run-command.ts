import type { RemediationService } from '../govern/service.ts';
import {
  auditMessage,
  explainMessage,
  helpMessage,
  promoteMessage,
  replayMessage,
  resultMessage,
  type SlackMessage,
  statusMessage,
  windowsMessage,
} from './blocks/index.ts';
import type { RemediateCommand } from './remediate-command.ts';

export interface CommandReply extends SlackMessage {
  /** Freeze, pause and resume are told to the channel: the whole team must know execution stopped. */
  readonly responseType: 'ephemeral' | 'in_channel';
}

export interface CommandContext {
  readonly user: string;
  readonly channel: string;
  readonly now: Date;
}

/** One parsed command → one use-case call → one rendered answer. */
export async function runCommand(
  service: RemediationService,
  command: RemediateCommand,
  ctx: CommandContext,
): Promise<CommandReply> {
  const ephemeral = (m: SlackMessage): CommandReply => ({ ...m, responseType: 'ephemeral' });
  switch (command.type) {
    case 'help':
      return ephemeral(helpMessage(command.note));
    case 'status':
      return ephemeral(statusMessage(await service.status(), ctx.now));
    case 'windows':
      return ephemeral(windowsMessage(await service.windows(command.target), ctx.now));
    case 'audit': {
      const query = {
        ...(command.incidentId ? { incidentId: command.incidentId } : {}),
        ...(command.last ? { last: command.last } : {}),
      };
      return ephemeral(auditMessage(await service.audit(query), query, ctx.now));
    }
    case 'propose':
      return ephemeral(
        resultMessage(
          await service.propose({ request: command.request, user: ctx.user, channel: ctx.channel }),
        ),
      );
    case 'explain':
      return ephemeral(
        explainMessage(
          await service.explain({ request: command.request, user: ctx.user, channel: ctx.channel }),
          ctx.now,
        ),
      );
    case 'promote': {
      if (!service.promote)
        return ephemeral(
          resultMessage({ ok: false, message: 'This Belay cannot promote rules; nothing changed.' }),
        );
      const result = await service.promote({ rule: command.rule, mode: command.mode, user: ctx.user });
      return { ...promoteMessage(result), responseType: result.ok ? 'in_channel' : 'ephemeral' };
    }
    case 'replay': {
      if (!service.replay)
        return ephemeral(
          resultMessage({
            ok: false,
            message:
              'This Belay cannot replay: it was started without a replay source. Run `belay replay` from a shell instead.',
          }),
        );
      const result = await service.replay({
        periodMs: command.periodMs,
        user: ctx.user,
        ...(command.rule ? { rule: command.rule } : {}),
      });
      return ephemeral(
        result.ok ? replayMessage(result.report) : resultMessage({ ok: false, message: result.message }),
      );
    }
    case 'freeze':
    case 'pause':
    case 'resume': {
      const change = {
        on: command.type === 'freeze' ? command.on : command.type === 'pause',
        user: ctx.user,
        ...(command.reason ? { reason: command.reason } : {}),
        ...(command.type === 'freeze' && command.forMs ? { forMs: command.forMs } : {}),
      };
      const result =
        command.type === 'freeze' ? await service.setFreeze(change) : await service.setPause(change);
      return { ...resultMessage(result), responseType: result.ok ? 'in_channel' : 'ephemeral' };
    }
  }
}

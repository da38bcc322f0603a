import type { App } from '@slack/bolt';
import { ACTION_IDS, REVIEW_ACTION_IDS } from '../blocks/index.ts';
import { appMention } from './app-mention.ts';
import { channelMessage } from './channel-message.ts';
import type { ListenerDeps } from './listener-deps.ts';
import { proposalButton } from './proposal-button.ts';
import { remediateCommand } from './remediate-command-listener.ts';
import { reviewButton } from './review-button.ts';

export type { ChannelMessage, ListenerDeps, ThreadQuestion } from './listener-deps.ts';

/** Every listener the app has; the manifest's events and command match this list. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  app.action(ACTION_IDS.approve, proposalButton(deps, 'approve'));
  app.action(ACTION_IDS.reject, proposalButton(deps, 'reject'));
  app.action(ACTION_IDS.revert, proposalButton(deps, 'revert'));
  app.action(REVIEW_ACTION_IDS.approve, reviewButton(deps, true));
  app.action(REVIEW_ACTION_IDS.disapprove, reviewButton(deps, false));
  app.command('/remediate', remediateCommand(deps));
  app.event('app_mention', appMention(deps));
  app.message(channelMessage(deps));
}

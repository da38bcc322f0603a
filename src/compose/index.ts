// Part of the composition root (with src/main.ts): wiring that the bot and the CLI share.
export { type ComposedFacts, type ComposeFactsOptions, composeFacts } from './compose-facts.ts';
export { composeReadTools } from './compose-read-tools.ts';
export { type ComposeReplayOptions, composeReplay } from './compose-replay.ts';
export { externalCalendars } from './external-calendars.ts';
export { acquireLeadership, type Leadership, type LeadershipOptions } from './leadership.ts';

// Moved to src/demo/slack/ so the playground's Slack signs its requests to Belay as the tests do.
export * from '../../src/demo/slack/slack-signing.ts';

// Moved to src/demo/slack/ so the playground's Slack sends Belay the payloads the tests do.
export * from '../../src/demo/slack/slack-payloads.ts';

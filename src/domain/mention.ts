/**
 * How a person is named in a message Slack renders: a Slack user ID as a mention (`<@U0SRE0001>`); an
 * agent's identity (`mcp:alice-laptop`; Slack IDs never have a colon) as plain words, never a mention.
 */
export const mention = (user: string): string => (user.includes(':') ? user : `<@${user}>`);

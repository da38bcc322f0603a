import { webApi } from '@slack/bolt';

/**
 * The WebClient every Belay send goes through. It does not retry on its own (the SDK's default is ten
 * retries over half an hour) and answers a 429 at once, with Slack's Retry-After, so the send queue is
 * the one retry layer: it waits exactly as long as Slack asked, and a stop ends the wait.
 */
export function createSlackWebClient(
  token: string,
  options: { apiUrl?: string | undefined; retryConfig?: webApi.RetryOptions } = {},
): webApi.WebClient {
  return new webApi.WebClient(token, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    retryConfig: options.retryConfig ?? { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}

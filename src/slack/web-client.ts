import { webApi } from '@slack/bolt';

/** The Web API client and its retry settings, named here so the wiring outside slack/ needs no Slack import. */
export type SlackWebClient = webApi.WebClient;
export type SlackRetryOptions = webApi.RetryOptions;

export interface SlackClientOptions {
  readonly apiUrl?: string | undefined;
  readonly retryConfig?: webApi.RetryOptions;
  /** Where the client's own lines go: Belay's pino stream, through boltLogger. */
  readonly logger?: webApi.WebClientOptions['logger'];
}

function webClient(
  token: string,
  options: SlackClientOptions,
  own: webApi.WebClientOptions,
): webApi.WebClient {
  return new webApi.WebClient(token, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...own,
    ...(options.retryConfig ? { retryConfig: options.retryConfig } : {}),
  });
}

/**
 * The WebClient every Belay send goes through. It does not retry on its own (the SDK's default is ten
 * retries over half an hour) and answers a 429 at once, with Slack's Retry-After, so the send queue is
 * the one retry layer: it waits exactly as long as Slack asked, and a stop ends the wait.
 */
export function createSlackWebClient(token: string, options: SlackClientOptions = {}): webApi.WebClient {
  return webClient(token, options, { retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
}

/**
 * The WebClient for lookups made inside a click (user-group members): it retries once and waits out a 429
 * itself, since nothing queues behind a lookup and Bolt's default half hour of retries would hang the click.
 */
export function createSlackLookupClient(token: string, options: SlackClientOptions = {}): webApi.WebClient {
  return webClient(token, options, { retryConfig: { retries: 1 } });
}

import { type ConfigurationOptions, Observable, type ObservableMiddleware } from '@kubernetes/client-node';

/** Per-request options that abandon a request after `ms`: client-node has no timeout setting of its own. */
export function requestTimeoutOptions(ms: number): ConfigurationOptions<ObservableMiddleware> {
  const middleware: ObservableMiddleware = {
    pre: (request) => {
      request.setSignal(AbortSignal.timeout(ms));
      return new Observable(Promise.resolve(request));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}

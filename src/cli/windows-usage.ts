// Apart from windows-suggest.ts, so `belay help` lists it without loading the Prometheus reader.
export const WINDOWS_USAGE =
  'belay windows suggest --config FILE [--since 14d] [--until ISO] [--namespace NS]... [--timezone TZ] [--json]';

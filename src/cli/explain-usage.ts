// Apart from explain.ts, so `belay help` lists explain without loading the Kubernetes client.
export const EXPLAIN_USAGE =
  'belay explain ACTION TARGET [key=value…] --config FILE [--at ISO-TIME] [--json]';

import type { Loose } from './kube-api-patch.ts';

/** A Deployment object as a test would write it. */
export function deployment(
  namespace: string,
  name: string,
  options: { replicas?: number; image?: string; labels?: Record<string, string>; paused?: boolean } = {},
): Loose {
  const labels = options.labels ?? { app: name };
  return {
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas: options.replicas ?? 2,
      paused: options.paused,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'app', image: options.image ?? `${name}:1.0.0` }] },
      },
    },
  };
}

/** A StatefulSet object as a test would write it. */
export function statefulSet(
  namespace: string,
  name: string,
  options: { replicas?: number; image?: string; labels?: Record<string, string> } = {},
): Loose {
  const labels = options.labels ?? { app: name };
  return {
    kind: 'StatefulSet',
    metadata: { name, namespace, labels },
    spec: {
      replicas: options.replicas ?? 1,
      serviceName: name,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: name, image: options.image ?? `${name}:16` }] },
      },
    },
  };
}

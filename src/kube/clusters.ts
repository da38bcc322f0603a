import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterSection, KubernetesSection } from '../config/sections/kubernetes.ts';
import { createKubeReader, type KubeReader } from './kube-reader.ts';

export interface Identity {
  readonly inCluster?: boolean;
  readonly kubeconfig?: string;
  readonly context?: string;
}

/** Builds a KubeConfig for one identity; client-node does the loading (in-cluster, file, KUBECONFIG). */
export type KubeConfigLoader = (identity: Identity) => KubeConfig;

export const loadKubeConfig: KubeConfigLoader = (identity) => {
  const kc = new KubeConfig();
  if (identity.inCluster) kc.loadFromCluster();
  else if (identity.kubeconfig) kc.loadFromFile(identity.kubeconfig);
  else kc.loadFromDefault();
  if (identity.context) {
    if (!kc.getContextObject(identity.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new Error(
        `context "${identity.context}" is not in ${identity.kubeconfig ?? 'the default kubeconfig'} (it has: ${known.join(', ') || 'none'})`,
      );
    }
    kc.setCurrentContext(identity.context);
  }
  return kc;
};

export interface Clusters {
  readonly names: readonly string[];
  readonly defaultCluster: string;
  /** The read-only client investigation tools and fact gathering use. */
  readerFor(cluster: string): KubeReader | undefined;
  /** The write identity's KubeConfig, for the executor only. */
  writerFor(cluster: string): KubeConfig | undefined;
  /** The cluster an alert is about, from its `cluster` label; an unknown label is an error, not a guess. */
  clusterFor(labels: Readonly<Record<string, string>>): { cluster: string } | { error: string };
}

/** Loads every configured cluster once at start-up; a broken kubeconfig fails fast, naming the cluster. */
export function loadClusters(section: KubernetesSection, load: KubeConfigLoader = loadKubeConfig): Clusters {
  const entries = section.clusters.map((c: ClusterSection) => {
    try {
      const read = load(c);
      const write = c.write ? load(c.write) : read;
      return [
        c.name,
        { reader: createKubeReader(read, { requestTimeoutMs: section.requestTimeout }), write },
      ] as const;
    } catch (error) {
      throw new Error(
        `kubernetes.clusters "${c.name}": ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });
  const byName = new Map(entries);
  const names = [...byName.keys()];
  const defaultCluster = section.defaultCluster ?? (names[0] as string);
  return {
    names,
    defaultCluster,
    readerFor: (cluster) => byName.get(cluster)?.reader,
    writerFor: (cluster) => byName.get(cluster)?.write,
    clusterFor(labels) {
      const label = labels.cluster;
      if (label === undefined || label === '') return { cluster: defaultCluster };
      if (byName.has(label)) return { cluster: label };
      return {
        error: `the alert names cluster "${label}", which Belay is not configured for (it knows ${names.join(', ')}); add it under kubernetes.clusters`,
      };
    },
  };
}

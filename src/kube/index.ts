// The Kubernetes connection both observe/ and act/ stand on: which clusters Belay knows, the read-only
// and the write identity of each, request timeouts and label selectors. Nothing here decides or acts.
export {
  type Clusters,
  type Identity,
  type KubeConfigLoader,
  loadClusters,
  loadKubeConfig,
} from './clusters.ts';
export {
  createKubeReader,
  type KubeReader,
  type ListQuery,
  type ListResult,
  type LogQuery,
  READER_PERMISSIONS,
  type ReadableKind,
  type ReadableKinds,
} from './kube-reader.ts';
export { labelSelectorString } from './label-selector.ts';
export { requestTimeoutOptions } from './request-timeout.ts';

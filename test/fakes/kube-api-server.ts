import { KubeConfig } from '@kubernetes/client-node';
import { KubeApiServer } from '../../src/demo/kube/kube-api-server.ts';

// The playground's embedded API server (src/demo/kube/) is the tests' fake cluster too; tests add a
// KubeConfig built in memory, which the playground (no client-node there) writes as a kubeconfig file instead.
export type {
  Failure,
  Grant,
  KubeApiServerOptions as FakeKubeApiOptions,
  RecordedRequest,
} from '../../src/demo/kube/kube-api-server.ts';
export { deployment, statefulSet } from '../../src/demo/kube/kube-api-server.ts';

export class FakeKubeApi extends KubeApiServer {
  /** A KubeConfig that reaches this server with the given bearer token, as a real kubeconfig would. */
  kubeConfig(token = 'admin', contextName = 'fake'): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: contextName, server: this.url, skipTLSVerify: true }],
      users: [{ name: `${contextName}-user`, token }],
      contexts: [{ name: contextName, cluster: contextName, user: `${contextName}-user` }],
      currentContext: contextName,
    });
    return kc;
  }
}

// The leader-election record in a coordination.k8s.io/v1 Lease, as client-go's resourcelock/leaselock.go
// keeps it: get, create, and replace carrying the resourceVersion that was read (409 if it moved on).
import { ApiException, CoordinationV1Api, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import type { LeaderElectionRecord, LeaderLock, ObservedRecord } from './leader-election.ts';
import { requestTimeoutOptions } from './request-timeout.ts';

/** Exactly the calls the lease lock makes: the Role in deploy/rbac-leader.yaml grants these and no more. */
export const LEASE_PERMISSIONS: readonly { group: string; resource: string; verb: string }[] = [
  { group: 'coordination.k8s.io', resource: 'leases', verb: 'get' },
  { group: 'coordination.k8s.io', resource: 'leases', verb: 'create' },
  { group: 'coordination.k8s.io', resource: 'leases', verb: 'update' },
];

export interface LeaseLockOptions {
  readonly name: string;
  readonly namespace: string;
  readonly requestTimeoutMs: number;
}

export function createLeaseLock(kubeConfig: KubeConfig, options: LeaseLockOptions): LeaderLock {
  const api = kubeConfig.makeApiClient(CoordinationV1Api);
  const { name, namespace } = options;
  const o = () => requestTimeoutOptions(options.requestTimeoutMs);
  const description = `lease ${namespace}/${name}`;

  const observed = (lease: V1Lease): ObservedRecord => {
    const spec = lease.spec ?? {};
    return {
      record: {
        holderIdentity: spec.holderIdentity ?? '',
        leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
        acquireTime: new Date(spec.acquireTime ?? 0),
        renewTime: new Date(spec.renewTime ?? 0),
        leaseTransitions: spec.leaseTransitions ?? 0,
      },
      resourceVersion: lease.metadata?.resourceVersion ?? '',
    };
  };
  const body = (record: LeaderElectionRecord, resourceVersion?: string): V1Lease => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...(resourceVersion ? { resourceVersion } : {}) },
    spec: {
      holderIdentity: record.holderIdentity,
      leaseDurationSeconds: record.leaseDurationSeconds,
      acquireTime: record.acquireTime,
      renewTime: record.renewTime,
      leaseTransitions: record.leaseTransitions,
    },
  });
  const explained = (error: unknown, verb: string): Error => {
    if (error instanceof ApiException) {
      const reason = (() => {
        try {
          const parsed = typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
          return parsed?.message ?? String(error.body);
        } catch {
          return String(error.body);
        }
      })();
      const hint =
        error.code === 403
          ? ' Grant the writer identity get, create and update on leases in this namespace (deploy/rbac-leader.yaml).'
          : '';
      return new Error(`${verb} ${description}: HTTP ${error.code}: ${reason}.${hint}`, { cause: error });
    }
    return new Error(`${verb} ${description}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  };

  return {
    description,
    async get() {
      try {
        return observed(await api.readNamespacedLease({ name, namespace }, o()));
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) return undefined;
        throw explained(error, 'reading');
      }
    },
    async create(record) {
      try {
        return observed(await api.createNamespacedLease({ namespace, body: body(record) }, o()));
      } catch (error) {
        throw explained(error, 'creating');
      }
    },
    async update(record, resourceVersion) {
      try {
        return observed(
          await api.replaceNamespacedLease({ name, namespace, body: body(record, resourceVersion) }, o()),
        );
      } catch (error) {
        throw explained(error, 'updating');
      }
    },
  };
}

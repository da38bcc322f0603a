import type { Alert, Facts, Rule } from '../domain/index.ts';
import { alertSubject, DEFAULT_CLUSTER } from '../domain/index.ts';
import { alertClauseMatches } from './conditions.ts';

/** The rules an alert triggers, in the order the policy lists them. */
export function rulesTriggeredBy(rules: readonly Rule[], alert: Alert): Rule[] {
  return alert.status === 'firing' ? rules.filter((rule) => alertClauseMatches(rule.when.alert, alert)) : [];
}

/**
 * The action request a rule makes for an alert, targeted from the alert's labels and the facts. Returns a
 * reason instead when the target cannot be worked out (a restart-pod rule on an alert that names no pod).
 */
export function requestFromRule(
  rule: Rule,
  alert: Alert,
  facts: Facts,
): { request: unknown } | { problem: string } {
  const subject = alertSubject(alert);
  const cluster = subject.cluster ?? facts.cluster ?? DEFAULT_CLUSTER;
  const namespace = subject.namespace ?? facts.namespace;
  const owner = facts.owner;
  const base = { cluster, namespace };
  switch (rule.action) {
    case 'restart-pod': {
      const pod = subject.pod ?? facts.pod?.name;
      return pod
        ? { request: { kind: rule.action, target: { ...base, pod } } }
        : { problem: `alert ${alert.name} names no pod` };
    }
    case 'rollout-restart':
    case 'scale': {
      if (!owner || (owner.kind !== 'Deployment' && owner.kind !== 'StatefulSet')) {
        return {
          problem: `the target is not run by a Deployment or StatefulSet (owner: ${owner?.kind ?? 'none'})`,
        };
      }
      const target = { ...base, workloadKind: owner.kind, name: owner.name };
      return rule.action === 'scale'
        ? { request: { kind: 'scale', target, replicas: rule.replicas } }
        : { request: { kind: 'rollout-restart', target } };
    }
    case 'rollback-deployment':
      return owner?.kind === 'Deployment'
        ? { request: { kind: rule.action, target: { ...base, name: owner.name } } }
        : { problem: `the target is not run by a Deployment (owner: ${owner?.kind ?? 'none'})` };
    case 'patch-configmap':
      return rule.configMap
        ? {
            request: {
              kind: rule.action,
              target: { ...base, name: rule.configMap.name },
              data: rule.configMap.data,
            },
          }
        : { problem: 'the rule names no ConfigMap' };
  }
}

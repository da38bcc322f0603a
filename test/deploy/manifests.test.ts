import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { parse } from 'yaml';
import { configSchema } from '../../src/config/schema.ts';
import { DEPLOY, loadManifests, type Manifest } from './deploy-manifests.ts';

// Each model takes its own typed shape; YAML is checked by validate(), not by the type system.
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Secret': Secret,
  'v1/ConfigMap': ConfigMap,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'v1/Service': Service,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

function validate(m: Manifest): void {
  const Model = MODELS[`${m.apiVersion}/${m.kind}`];
  if (!Model) throw new Error(`no schema for ${m.apiVersion}/${m.kind}`);
  new Model(m as never).validate();
}

describe('deploy/ manifests', () => {
  it("every manifest validates against Kubernetes' own schemas", async () => {
    const manifests = await loadManifests();
    assert.ok(manifests.length >= 10);
    for (const m of manifests) assert.doesNotThrow(() => validate(m), `${m.kind} ${m.metadata?.name}`);
  });

  it('the validation would catch a broken manifest', async () => {
    const deployment = (await loadManifests()).find((m) => m.kind === 'Deployment') as Manifest;
    const broken = structuredClone(deployment);
    broken.spec.replicas = 'one';
    assert.throws(() => validate(broken));
    const noContainers = structuredClone(deployment);
    delete noContainers.spec.template.spec.containers;
    assert.throws(() => validate(noContainers));
  });

  it('kustomization lists every manifest file', async () => {
    const files = (await readdir(DEPLOY))
      .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
      .sort();
    const kustomization = parse(await readFile(join(DEPLOY, 'kustomization.yaml'), 'utf8'));
    assert.deepEqual([...kustomization.resources].sort(), files);
  });

  it('the Deployment runs one non-root replica with Recreate, a read-only root, limits and probes', async () => {
    const d = (await loadManifests()).find((m) => m.kind === 'Deployment') as Manifest;
    assert.equal(d.spec.replicas, 1);
    assert.equal(d.spec.strategy.type, 'Recreate');
    const pod = d.spec.template.spec;
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.equal(pod.serviceAccountName, 'belay-reader');
    const [c] = pod.containers;
    assert.equal(c.securityContext.readOnlyRootFilesystem, true);
    assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    assert.deepEqual(c.securityContext.capabilities.drop, ['ALL']);
    assert.ok(c.resources.requests.memory && c.resources.limits.memory && c.resources.limits.cpu);
    assert.equal(c.livenessProbe.httpGet.path, '/healthz');
    assert.equal(c.readinessProbe.httpGet.path, '/readyz');
    const secrets = c.env.filter((e: Manifest) => e.valueFrom?.secretKeyRef).map((e: Manifest) => e.name);
    assert.ok(secrets.includes('SLACK_BOT_TOKEN') && secrets.includes('SLACK_SIGNING_SECRET'));
    assert.equal(
      c.env.filter((e: Manifest) => /TOKEN|SECRET|KEY/.test(e.name) && e.value !== undefined).length,
      0,
      'no inline secrets',
    );
  });

  it("the ConfigMap holds a belay.yaml that Belay's own config schema accepts", async () => {
    const cm = (await loadManifests()).find((m) => m.kind === 'ConfigMap') as Manifest;
    const parsed = configSchema.safeParse(parse(cm.data['belay.yaml']));
    assert.equal(parsed.success, true, JSON.stringify(!parsed.success && parsed.error.issues));
    const writer = parse(cm.data['writer-kubeconfig.yaml']);
    assert.equal(writer.users[0].user['token-file'], '/var/run/secrets/belay-writer/token');
  });

  it('the Dockerfile is multi-stage on node:24-bookworm-slim pinned by digest and runs as a non-root user', async () => {
    const dockerfile = await readFile(new URL('../../Dockerfile', import.meta.url), 'utf8');
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    assert.ok(froms.length >= 2, 'multi-stage');
    assert.ok(
      froms.every((f) => /^node:24-bookworm-slim@sha256:[0-9a-f]{64}$/.test(f ?? '')),
      froms.join(', '),
    );
    assert.equal(new Set(froms).size, 1, 'both stages on the same image');
    const user = /^USER (\S+)/m.exec(dockerfile)?.[1];
    assert.ok(user && !/^(root|0)(:|$)/.test(user), `USER ${user}`);
    assert.ok(dockerfile.indexOf('USER') < dockerfile.indexOf('ENTRYPOINT'));
  });

  it('a Service reaches the intake, and only the monitoring namespace may', async () => {
    const manifests = await loadManifests();
    const d = manifests.find((m) => m.kind === 'Deployment') as Manifest;
    const service = manifests.find((m) => m.kind === 'Service') as Manifest;
    assert.deepEqual(service.spec.selector, d.spec.selector.matchLabels);
    const intake = d.spec.template.spec.containers[0].ports.find((p: Manifest) => p.name === 'intake');
    assert.deepEqual(service.spec.ports, [
      { name: 'intake', port: intake.containerPort, targetPort: 'intake' },
    ]);
    const policy = manifests.find((m) => m.kind === 'NetworkPolicy') as Manifest;
    assert.deepEqual(policy.spec.podSelector.matchLabels, d.spec.selector.matchLabels);
    assert.deepEqual(policy.spec.policyTypes, ['Ingress']);
    assert.deepEqual(policy.spec.ingress, [
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
        ports: [{ port: 'intake', protocol: 'TCP' }],
      },
    ]);
  });

  it('one pod mounts the store, and a rollout waits longer than a verification for stop() to drain', async () => {
    const manifests = await loadManifests();
    const pvc = manifests.find((m) => m.kind === 'PersistentVolumeClaim') as Manifest;
    assert.deepEqual(pvc.spec.accessModes, ['ReadWriteOncePod']);
    const d = manifests.find((m) => m.kind === 'Deployment') as Manifest;
    const cm = manifests.find((m) => m.kind === 'ConfigMap') as Manifest;
    const config = configSchema.parse(parse(cm.data['belay.yaml']));
    // stop() waits the verification timeout plus 30 s (src/main.ts); the pod must outlast that.
    const drainSeconds = (config.kubernetes.verification.timeout + 30_000) / 1000;
    assert.ok(d.spec.template.spec.terminationGracePeriodSeconds > drainSeconds);
    assert.equal(
      config.kubernetes.lease?.namespace,
      d.metadata.namespace,
      "the Lease lives in Belay's namespace",
    );
  });

  it('the ServiceMonitor example scrapes /metrics through the Service', async () => {
    const text = await readFile(join(DEPLOY, 'examples', 'servicemonitor.yaml'), 'utf8');
    const monitor = parse(text);
    const service = (await loadManifests()).find((m) => m.kind === 'Service') as Manifest;
    assert.equal(monitor.apiVersion, 'monitoring.coreos.com/v1');
    assert.deepEqual(monitor.spec.selector.matchLabels, service.metadata.labels);
    assert.deepEqual(
      monitor.spec.endpoints.map((e: Manifest) => [e.port, e.path]),
      [['intake', '/metrics']],
    );
    assert.ok(service.spec.ports.some((p: Manifest) => p.name === 'intake'));
  });
});

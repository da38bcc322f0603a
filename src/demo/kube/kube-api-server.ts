import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../domain/index.ts';
import { deployment } from './kube-api-builders.ts';
import { managedFieldsAfter, type Writer } from './kube-api-managed-fields.ts';
import { apiVersionOf, ObjectStore, RESOURCES, type Resource } from './kube-api-objects.ts';
import { fieldSelectorMatches, type Loose, labelSelectorMatches, PatchError } from './kube-api-patch.ts';
import { applyPatch, invalid, StatusError, validate } from './kube-api-writes.ts';

export { deployment, statefulSet } from './kube-api-builders.ts';

/** Kinds a test's client may create by POST to their collection (the executor only patches and evicts). */
const CREATABLE: ReadonlySet<Resource> = new Set(['leases']);

// A small Kubernetes API server on 127.0.0.1:0 that @kubernetes/client-node reaches over plain HTTP with a
// bearer token: the playground's cluster (`npm run demo`) and the tests' fake (test/fakes/kube-api-server.ts). It keeps objects in memory, checks a simple RBAC, honours dryRun=All, the patch content
// types and resourceVersion preconditions, answers errors with real Status objects, and simulates enough
// of the controllers (see kube-api-objects.ts) for an executor to verify its work.

export interface Grant {
  readonly group: string;
  /** `pods`, or a subresource: `pods/eviction`, `deployments/scale`. */
  readonly resource: string;
  readonly verb: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly contentType?: string;
  readonly user: string;
  readonly group: string;
  readonly resource: string;
  readonly verb: string;
  readonly dryRun: boolean;
  readonly body?: Loose;
}

export interface Failure {
  readonly method?: string;
  /** Matched against the URL path. */
  readonly path: string | RegExp;
  /** How many matching requests fail; default 1. */
  readonly times?: number;
  readonly status?: number;
  /** Never answer: the client's own timeout has to fire. */
  readonly hang?: boolean;
  readonly message?: string;
  /** Only requests with (true) or without (false) dryRun=All. */
  readonly dryRun?: boolean;
  /** Let this many matching requests through first. */
  readonly after?: number;
}

export interface KubeApiServerOptions {
  readonly clock: Clock;
  /** token → user name and grants; 'all' grants everything. */
  readonly tokens?: Record<string, { user: string; grants: readonly Grant[] | 'all' }>;
}

interface Route {
  group: string;
  resource: Resource;
  namespace?: string;
  name?: string;
  sub?: string;
}

function parseRoute(path: string): Route | undefined {
  const parts = path.split('/').filter(Boolean);
  let group = '';
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') rest = parts.slice(2);
  else if (parts[0] === 'apis' && parts[2] === 'v1') {
    group = parts[1] as string;
    rest = parts.slice(3);
  } else return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, sub] = rest;
  if (!resource || !(resource in RESOURCES) || RESOURCES[resource as Resource].group !== group)
    return undefined;
  return { group, resource: resource as Resource, namespace, name, sub };
}

function verbOf(method: string, route: Route): string {
  if (method === 'GET') return route.name ? 'get' : 'list';
  return { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[method] ?? method.toLowerCase();
}

export class KubeApiServer {
  readonly store: ObjectStore;
  readonly requests: RecordedRequest[] = [];
  private readonly failures: (Failure & { left: number; skip: number })[] = [];
  /** Called for every authenticated request before it is served: a test can change the world mid-execution. */
  onRequest?: (request: RecordedRequest) => void;
  private readonly logs = new Map<string, string>();
  private readonly tokens: NonNullable<KubeApiServerOptions['tokens']>;
  private readonly server = createServer((req, res) => void this.handle(req, res));
  url = '';

  // Public so that a subclass (the tests' FakeKubeApi) can be started by `start`; an instance listens only then.
  constructor(options: KubeApiServerOptions) {
    this.store = new ObjectStore(options.clock);
    this.tokens = options.tokens ?? { admin: { user: 'admin', grants: 'all' } };
  }

  static async start<T extends KubeApiServer>(
    this: new (
      options: KubeApiServerOptions,
    ) => T,
    options: KubeApiServerOptions,
  ): Promise<T> {
    const api = new this(options);
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    api.url = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
    return api;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * A kubeconfig file's text with one context per name → bearer token. The server speaks plain HTTP on
   * loopback, which client-node allows only with TLS verification off.
   */
  kubeconfigYaml(contexts: Readonly<Record<string, string>>): string {
    const names = Object.keys(contexts);
    return [
      'apiVersion: v1',
      'kind: Config',
      `clusters:\n  - name: embedded\n    cluster: { server: ${JSON.stringify(this.url)}, insecure-skip-tls-verify: true }`,
      `users:\n${names.map((n) => `  - name: ${n}\n    user: { token: ${JSON.stringify(contexts[n])} }`).join('\n')}`,
      `contexts:\n${names.map((n) => `  - name: ${n}\n    context: { cluster: embedded, user: ${n} }`).join('\n')}`,
      `current-context: ${names[0] ?? ''}`,
      '',
    ].join('\n');
  }

  inject(failure: Failure): void {
    this.failures.push({ ...failure, left: failure.times ?? 1, skip: failure.after ?? 0 });
  }

  set readyDelayMs(ms: number) {
    this.store.readyDelayMs = ms;
  }

  setLog(namespace: string, pod: string, container: string, text: string, previous = false): void {
    this.logs.set(`${namespace}/${pod}/${container}/${previous}`, text);
  }

  /** Stores objects as given and lets the controllers create what they own, Ready at once. */
  seed(...objects: Loose[]): void {
    for (const obj of objects) {
      const resource = Object.entries(RESOURCES).find(([, r]) => r.kind === obj.kind)?.[0] as Resource;
      this.store.put(resource, obj);
    }
    this.store.reconcile(true);
  }

  /** A Deployment of `count` Ready pods in `namespace` (created with the namespace if missing). */
  seedPods(namespace: string, count: number, name = 'bulk'): void {
    if (!this.store.get('namespaces', undefined, namespace))
      this.seed({ kind: 'Namespace', metadata: { name: namespace } });
    this.seed(deployment(namespace, name, { replicas: count }));
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = raw ? JSON.parse(raw) : undefined;
      const route = parseRoute(url.pathname);
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const identity = token ? this.tokens[token] : undefined;
      if (!identity) throw new StatusError(401, 'Unauthorized');
      if (!route) throw new StatusError(404, 'the server could not find the requested resource');
      const verb = verbOf(method, route);
      const resourceName = route.sub ? `${route.resource}/${route.sub}` : route.resource;
      const query = Object.fromEntries(url.searchParams);
      this.requests.push({
        method,
        path: url.pathname,
        query,
        contentType: req.headers['content-type'],
        user: identity.user,
        group: route.group,
        resource: resourceName,
        verb,
        dryRun: query.dryRun !== undefined,
        body,
      });
      this.onRequest?.(this.requests.at(-1) as RecordedRequest);
      const failure = this.failures.find(
        (f) =>
          f.left > 0 &&
          (!f.method || f.method === method) &&
          (f.dryRun === undefined || f.dryRun === (query.dryRun !== undefined)) &&
          (typeof f.path === 'string' ? url.pathname === f.path : f.path.test(url.pathname)),
      );
      if (failure && failure.skip > 0) failure.skip -= 1;
      else if (failure) {
        failure.left -= 1;
        if (failure.hang) return;
        const code = failure.status ?? 500;
        throw new StatusError(code, failure.message ?? `injected ${code}`, {
          ...(code === 429 ? { retryAfterSeconds: 1 } : {}),
        });
      }
      const allowed =
        identity.grants === 'all' ||
        identity.grants.some(
          (g) => g.group === route.group && g.resource === resourceName && g.verb === verb,
        );
      if (!allowed) {
        const qualified = route.group ? `${route.resource}.${route.group}` : route.resource;
        throw new StatusError(
          403,
          `${qualified}${route.name ? ` "${route.name}"` : ''} is forbidden: User "${identity.user}" cannot ${verb} resource "${resourceName}" in API group "${route.group}"${route.namespace ? ` in the namespace "${route.namespace}"` : ''}`,
          { name: route.name, group: route.group, kind: route.resource },
        );
      }
      if (query.dryRun !== undefined && query.dryRun !== 'All')
        throw new StatusError(400, `Invalid dry run value "${query.dryRun}", only "All" is supported`);
      // Who writes, as managedFields record it: the fieldManager, else the User-Agent's product name.
      const manager =
        query.fieldManager ?? (req.headers['user-agent'] ?? 'unknown').split('/')[0] ?? 'unknown';
      const result = this.serve(method, route, query, body, req.headers['content-type'] ?? '', manager);
      if (typeof result === 'string') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(result);
        return;
      }
      res.writeHead(method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result.body));
    } catch (error) {
      const status =
        error instanceof StatusError
          ? error.status
          : error instanceof PatchError
            ? new StatusError(error.code, error.message).status
            : new StatusError(500, String(error)).status;
      res.writeHead(status.code, { 'content-type': 'application/json' }).end(JSON.stringify(status));
    }
  }

  private notFound(route: Route, name = route.name): StatusError {
    const qualified = route.group ? `${route.resource}.${route.group}` : route.resource;
    return new StatusError(404, `${qualified} "${name}" not found`, {
      name,
      group: route.group,
      kind: route.resource,
    });
  }

  private serve(
    method: string,
    route: Route,
    query: Record<string, string>,
    body: Loose,
    type: string,
    manager: string,
  ) {
    const { resource, namespace, name, sub } = route;
    const dryRun = query.dryRun === 'All';
    const writer: Writer = {
      manager,
      time: this.store.now().replace(/\.\d{3}Z$/, 'Z'),
      apiVersion: apiVersionOf(resource),
      ...(sub ? { subresource: sub } : {}),
    };
    if (method === 'GET' && !name) return { body: this.listBody(resource, namespace, query) };
    if (!name && method === 'POST' && CREATABLE.has(resource))
      return { body: this.create(route, body, dryRun, writer) };
    if (!name) throw new StatusError(405, 'the fake only supports writes to named objects');
    const current = this.store.get(resource, namespace, name);
    if (!current) throw this.notFound(route);
    if (sub === 'log' && method === 'GET') return this.podLog(current, query);
    if (sub === 'eviction' && method === 'POST') return { body: this.evict(route, current, body, dryRun) };
    if (sub === 'scale') return { body: this.scale(method, route, current, body, type, dryRun, writer) };
    if (sub) throw new StatusError(404, `the fake does not serve ${resource}/${sub}`);
    if (method === 'GET') return { body: current };
    if (method === 'DELETE') {
      if (!dryRun) {
        this.store.delete(resource, namespace, name);
        this.store.reconcile();
      }
      return { body: current };
    }
    let next: Loose;
    if (method === 'PATCH') next = applyPatch(current, body, type);
    else if (method === 'PUT') next = body;
    else throw new StatusError(405, `method ${method} is not supported`);
    return { body: this.write(route, current, next, dryRun, writer) };
  }

  /** POST to a collection: AlreadyExists (409) when the name is taken, as the API server answers a racing create. */
  private create(route: Route, body: Loose, dryRun: boolean, writer: Writer): Loose {
    const name = body?.metadata?.name;
    const qualified = route.group ? `${route.resource}.${route.group}` : route.resource;
    if (typeof name !== 'string' || name === '')
      throw invalid(RESOURCES[route.resource].kind, '', [
        { field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name is required' },
      ]);
    if (body.metadata.namespace !== undefined && body.metadata.namespace !== route.namespace)
      throw new StatusError(
        400,
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    if (this.store.get(route.resource, route.namespace, name))
      throw new StatusError(
        409,
        `${qualified} "${name}" already exists`,
        { name, group: route.group, kind: route.resource },
        'AlreadyExists',
      );
    if (body.metadata.resourceVersion !== undefined)
      throw new StatusError(400, 'resourceVersion should not be set on objects to be created');
    validate(RESOURCES[route.resource].kind, route.resource, name, body);
    const next = { ...body, metadata: { ...body.metadata, namespace: route.namespace } };
    next.metadata.managedFields = managedFieldsAfter(undefined, next, writer);
    if (dryRun) return next;
    this.store.put(route.resource, next);
    return this.store.get(route.resource, route.namespace, name);
  }

  private write(route: Route, current: Loose, next: Loose, dryRun: boolean, writer: Writer): Loose {
    const sentVersion = next?.metadata?.resourceVersion;
    if (sentVersion !== undefined && sentVersion !== current.metadata.resourceVersion) {
      const qualified = route.group ? `${route.resource}.${route.group}` : route.resource;
      throw new StatusError(
        409,
        `Operation cannot be fulfilled on ${qualified} "${route.name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name: route.name, group: route.group, kind: route.resource },
      );
    }
    validate(RESOURCES[route.resource].kind, route.resource, route.name as string, next);
    next.metadata = { ...next.metadata, name: current.metadata.name, namespace: current.metadata.namespace };
    next.metadata.managedFields = managedFieldsAfter(current, next, writer);
    if (dryRun) return next;
    delete next.metadata.resourceVersion;
    const stored = this.store.put(route.resource, next);
    this.store.reconcile();
    return this.store.get(route.resource, route.namespace, stored.metadata.name);
  }

  private scale(
    method: string,
    route: Route,
    parent: Loose,
    body: Loose,
    type: string,
    dryRun: boolean,
    writer: Writer,
  ) {
    const scale = {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: {
        name: parent.metadata.name,
        namespace: parent.metadata.namespace,
        resourceVersion: parent.metadata.resourceVersion,
      },
      spec: { replicas: parent.spec.replicas ?? 1 },
      status: { replicas: parent.status?.replicas ?? 0 },
    };
    if (method === 'GET') return scale;
    const next = method === 'PATCH' ? applyPatch(scale, body, type) : body;
    const replicas = next?.spec?.replicas;
    if (!Number.isInteger(replicas) || replicas < 0)
      throw invalid('Scale', route.name as string, [
        {
          field: 'spec.replicas',
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${replicas}: must be greater than or equal to 0`,
        },
      ]);
    const updated = this.write(
      { ...route, sub: undefined },
      parent,
      {
        ...parent,
        metadata: { ...parent.metadata, resourceVersion: next.metadata?.resourceVersion },
        spec: { ...parent.spec, replicas },
      },
      dryRun,
      writer,
    );
    return {
      ...scale,
      metadata: { ...scale.metadata, resourceVersion: updated.metadata.resourceVersion },
      spec: { replicas },
    };
  }

  private evict(route: Route, pod: Loose, body: Loose, dryRun: boolean): Loose {
    // DeleteOptions preconditions: the pod Belay looked at, not a namesake created since.
    const preconditions = body?.deleteOptions?.preconditions ?? {};
    if (preconditions.uid !== undefined && preconditions.uid !== pod.metadata.uid)
      throw new StatusError(
        409,
        `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${pod.metadata.uid}`,
        { name: route.name, kind: 'pods' },
      );
    if (
      preconditions.resourceVersion !== undefined &&
      preconditions.resourceVersion !== pod.metadata.resourceVersion
    )
      throw new StatusError(
        409,
        `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${pod.metadata.resourceVersion}`,
        { name: route.name, kind: 'pods' },
      );
    const budgets = this.store
      .list('poddisruptionbudgets', route.namespace)
      .filter((pdb) =>
        Object.entries(pdb.spec?.selector?.matchLabels ?? {}).every(
          ([k, v]) => pod.metadata.labels?.[k] === v,
        ),
      );
    if (budgets.length > 1)
      throw new StatusError(
        500,
        'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      );
    const pdb = budgets[0];
    if (pdb && (pdb.status?.disruptionsAllowed ?? 0) <= 0) {
      throw new StatusError(429, "Cannot evict pod as it would violate the pod's disruption budget.", {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: `The disruption budget ${pdb.metadata.name} needs ${pdb.status?.desiredHealthy ?? 0} healthy pods and has ${pdb.status?.currentHealthy ?? 0} currently`,
          },
        ],
      });
    }
    if (!dryRun) {
      this.store.delete('pods', route.namespace, route.name as string);
      this.store.reconcile();
    }
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
  }

  private podLog(pod: Loose, query: Record<string, string>): string {
    const containers: string[] = (pod.spec.containers ?? []).map((c: Loose) => c.name);
    const container = query.container ?? (containers.length === 1 ? containers[0] : undefined);
    if (!container)
      throw new StatusError(
        400,
        `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.join(' ')}]`,
      );
    const previous = query.previous === 'true';
    let text = this.logs.get(`${pod.metadata.namespace}/${pod.metadata.name}/${container}/${previous}`);
    if (text === undefined) {
      if (previous)
        throw new StatusError(
          400,
          `previous terminated container "${container}" in pod "${pod.metadata.name}" not found`,
        );
      text = '';
    }
    if (query.tailLines) {
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      text = `${lines.slice(-Number(query.tailLines)).join('\n')}\n`;
    }
    if (query.limitBytes) text = Buffer.from(text).subarray(0, Number(query.limitBytes)).toString('utf8');
    return text;
  }

  private listBody(resource: Resource, namespace: string | undefined, query: Record<string, string>): Loose {
    let items = this.store
      .list(resource, namespace)
      .filter((o) => labelSelectorMatches(query.labelSelector ?? null, o.metadata.labels ?? {}))
      .filter((o) => fieldSelectorMatches(query.fieldSelector ?? null, o));
    const offset = query.continue ? Number(Buffer.from(query.continue, 'base64url').toString()) : 0;
    const limit = query.limit ? Number(query.limit) : undefined;
    items = items.slice(offset);
    const metadata: Loose = { resourceVersion: this.store.nextResourceVersion() };
    if (limit !== undefined && items.length > limit) {
      metadata.continue = Buffer.from(String(offset + limit)).toString('base64url');
      metadata.remainingItemCount = items.length - limit;
      items = items.slice(0, limit);
    }
    return { kind: `${RESOURCES[resource].kind}List`, apiVersion: apiVersionOf(resource), metadata, items };
  }
}

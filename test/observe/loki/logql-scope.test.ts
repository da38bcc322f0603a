import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scopeLogQL } from '../../../src/observe/loki/index.ts';

const options = { namespace: 'shop', label: 'namespace', maxChars: 1_000 };
const scoped = (query: string) => {
  const r = scopeLogQL(query, options);
  assert.ok(r.ok, `expected ${query} to be scoped, got ${'reason' in r ? r.reason : ''}`);
  return r.query;
};
const refused = (query: string, why: RegExp) => {
  const r = scopeLogQL(query, options);
  assert.equal(r.ok, false, `expected ${query} to be refused, got ${r.ok ? r.query : ''}`);
  if (!r.ok) assert.match(r.reason, why);
};

describe('scopeLogQL', () => {
  it('adds the namespace matcher to every stream selector', () => {
    assert.equal(scoped('{app="web"} |= "error"'), '{namespace="shop", app="web"} |= "error"');
    assert.equal(scoped('{}'), '{namespace="shop"}');
    assert.equal(
      scoped('sum by (pod) (count_over_time({app="web"}[5m])) / count_over_time({app=`api`}[5m])'),
      'sum by (pod) (count_over_time({namespace="shop", app="web"}[5m])) / count_over_time({namespace="shop", app=`api`}[5m])',
    );
  });

  it('keeps a matcher that already names the same namespace with =', () => {
    assert.equal(scoped('{namespace="shop",pod="web-1"}'), '{namespace="shop", pod="web-1"}');
    assert.equal(scoped('{ namespace = `shop` }'), '{namespace=`shop`}');
  });

  it('reads braces inside strings as text, not selectors', () => {
    assert.equal(
      scoped('{app="web"} |= "{namespace=\\"other\\"}" | line_format "{{.msg}}"'),
      '{namespace="shop", app="web"} |= "{namespace=\\"other\\"}" | line_format "{{.msg}}"',
    );
  });

  it('refuses a query that names another namespace, in any selector', () => {
    refused('{namespace="payments"}', /reads only namespace shop; the query asks for namespace="payments"/);
    refused('{app="web"} or {namespace="kube-system"}', /reads only namespace shop/);
    refused('{namespace="sho\\u0070x"}', /reads only namespace shop/);
  });

  it('refuses namespace matchers that could match more than one namespace', () => {
    refused('{namespace=~"shop|payments"}', /namespace=~… matcher could reach other namespaces/);
    refused('{namespace=~"shop"}', /could reach other namespaces/);
    refused('{namespace!="shop"}', /could reach other namespaces/);
    refused('{namespace!~"kube-.*"}', /could reach other namespaces/);
  });

  it('refuses what it cannot read, rather than guessing', () => {
    refused('', /empty/);
    refused('"just text"', /no stream selector/);
    refused('rate(x[5m])', /no stream selector/);
    refused('{app="web"', /could not read the stream selector/);
    refused('{app=web}', /could not read the stream selector/);
    refused('{app="web"} |= "unclosed', /never closed/);
    refused('{app="web"}}', /closes no stream selector/);
    refused('{app="web"}\n{namespace="other"}', /line break/);
    refused(`{app="${'x'.repeat(1_000)}"}`, /limit is 1000/);
  });

  it('treats a comment as Loki does: the rest of the line is not read', () => {
    assert.equal(
      scoped('{app="web"} # {namespace="other"}'),
      '{namespace="shop", app="web"} # {namespace="other"}',
    );
  });

  it('uses the configured namespace label', () => {
    const r = scopeLogQL('{k8s_namespace_name="x"}', { ...options, label: 'k8s_namespace_name' });
    assert.equal(r.ok, false);
    const ok = scopeLogQL('{app="web"}', { ...options, label: 'k8s_namespace_name' });
    assert.deepEqual(ok, { ok: true, query: '{k8s_namespace_name="shop", app="web"}', selectors: 1 });
  });
});

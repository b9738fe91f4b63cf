// Objects the analysis replaces or leaves out are reported with their positions, never dropped silently.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inventory } from '../core/inventory.ts';
import { formatRef } from '../core/kube-object.ts';
import { loadManifestText } from '../inputs/manifest-loader.ts';
import { formatConnections } from './connection-set.ts';
import { ReachabilityEngine } from './reachability.ts';

function engineOf(files: Record<string, string>): ReachabilityEngine {
  const entries = Object.entries(files).flatMap(([file, text]) => loadManifestText(text, file).entries);
  return new ReachabilityEngine(new Inventory(entries));
}

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec: {containers: [{name: c, image: x, ports: [{name: pg, containerPort: 5432}]}]}
`;

const DENY_ALL_INGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec: {podSelector: {}}
`;

const DB_ONLY = `# the same policy, narrowed to db and opened on 5432
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{ports: [{port: 5432}]}]
`;

function messages(engine: ReachabilityEngine): string[] {
  return engine.notices.map((notice) => notice.message);
}

/** As the CLI prints them: the object, then the message. */
function lines(engine: ReachabilityEngine): string[] {
  return engine.notices.map((notice) => `${formatRef(notice.ref)}: ${notice.message}`);
}

describe('duplicate objects: the last definition wins, and each duplicate is reported', () => {
  it('a policy defined twice is replaced by the later one, not combined with it', () => {
    const e = engineOf({ 'pods.yaml': PODS, 'a.yaml': DENY_ALL_INGRESS, 'b.yaml': DB_ONLY });
    assert.equal(e.policies.policies.length, 1);
    const web = e.endpoints.byId.get('Pod/shop/web');
    const db = e.endpoints.byId.get('Pod/shop/db');
    assert.ok(web && db);
    // Combined, the first definition would isolate web and deny it everything.
    assert.equal(
      formatConnections(e.reach({ type: 'pod', endpoint: db }, { type: 'pod', endpoint: web }).allowed),
      'all',
    );
    assert.equal(
      formatConnections(e.reach({ type: 'pod', endpoint: web }, { type: 'pod', endpoint: db }).allowed),
      'TCP 5432',
    );
    assert.equal(e.notices.length, 1, lines(e).join('\n'));
    const [notice] = e.notices;
    assert.equal(notice?.entry.source.type === 'file' && notice.entry.source.file, 'b.yaml');
    assert.match(
      lines(e)[0] ?? '',
      /^NetworkPolicy\/shop\/p: also defined at a\.yaml:1; .*this later definition \(b\.yaml:\d\)/,
    );
  });

  it('a pod defined twice takes its last definition', () => {
    const relabelled = PODS.replace('labels: {app: web}', 'labels: {app: other}');
    const e = engineOf({ 'first.yaml': PODS, 'second.yaml': relabelled.split('---')[0] ?? '' });
    assert.deepEqual(e.endpoints.byId.get('Pod/shop/web')?.labels, { app: 'other' });
    assert.equal(e.endpoints.endpoints.filter((p) => p.id === 'Pod/shop/web').length, 1);
    assert.deepEqual(
      lines(e).map((line) => line.replace(/; the analysis .*/, '')),
      ['Pod/shop/web: also defined at first.yaml:1'],
    );
    assert.match(lines(e)[0] ?? '', /second\.yaml:1/);
  });

  it('an object without a namespace and the same one in default are one object', () => {
    const loose = DENY_ALL_INGRESS.replace(', namespace: shop', '');
    const inDefault = DB_ONLY.replace('namespace: shop', 'namespace: default');
    const e = engineOf({ 'a.yaml': loose, 'b.yaml': inDefault });
    assert.equal(e.policies.policies.length, 1);
    assert.match(lines(e).join('\n'), /^NetworkPolicy\/default\/p: also defined at a\.yaml:1/);
  });

  it('within one file the loader already warns: no second notice', () => {
    const e = engineOf({ 'both.yaml': `${DENY_ALL_INGRESS}---\n${DB_ONLY}` });
    assert.equal(e.policies.policies.length, 1);
    assert.deepEqual(e.policies.policies[0]?.podSelector, { matchLabels: { app: 'db' } });
    assert.deepEqual(messages(e), []);
  });
});

describe('policies the analysis does not read are reported as not analysed', () => {
  it('extensions/v1beta1 NetworkPolicy, Calico, Cilium and admin policies', () => {
    const others = `apiVersion: extensions/v1beta1
kind: NetworkPolicy
metadata: {name: old, namespace: shop}
spec: {podSelector: {}}
---
apiVersion: networking.k8s.io/v1beta1
kind: NetworkPolicy
metadata: {name: never, namespace: shop}
spec: {podSelector: {}}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: calico}
spec: {selector: all()}
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: cilium, namespace: shop}
spec: {endpointSelector: {}}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: admin}
spec: {priority: 1, subject: {namespaces: {}}}
`;
    const e = engineOf({ 'pods.yaml': PODS, 'others.yaml': others });
    assert.equal(e.policies.policies.length, 0);
    const found = messages(e);
    assert.equal(found.length, 5, found.join('\n'));
    assert.match(found[0] ?? '', /extensions\/v1beta1.*no longer served.*1\.16.*not analysed/);
    assert.match(
      found[1] ?? '',
      /networking\.k8s\.io\/v1beta1 NetworkPolicy is served by no Kubernetes version.*not analysed/,
    );
    assert.match(found[2] ?? '', /Calico.*not analysed/);
    assert.match(found[3] ?? '', /Cilium.*not analysed/);
    assert.match(found[4] ?? '', /AdminNetworkPolicy.*not analysed/);
    assert.deepEqual(
      e.notices.map((n) => n.entry.source.type === 'file' && n.entry.source.line),
      [1, 6, 11, 16, 21],
    );
  });

  it('the notices include every policy problem, once', () => {
    const broken = DENY_ALL_INGRESS.replace(
      'spec: {podSelector: {}}',
      'spec: {podSelector: {}, ingress: [{from: [{}]}]}',
    );
    const e = engineOf({ 'a.yaml': broken });
    assert.deepEqual(messages(e), [
      'peer names no podSelector, namespaceSelector or ipBlock (the API server refuses it): it matches nothing',
    ]);
    assert.deepEqual(e.notices[0]?.path, ['spec', 'ingress', 0, 'from', 0]);
  });
});

describe('policy fields the analysis cannot take as written are load issues of a scan too', () => {
  const MISPLACED_LABELS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-web, namespace: shop}
spec:
  podSelector:
    app: web
  ingress:
  - from:
    - podSelector:
        matchExpressions: [{key: app, operator: Is, values: [front]}]
`;

  it('labels outside matchLabels are read as the API server keeps them (dropped) and said where they are', () => {
    const engine = engineOf({ 'np.yaml': MISPLACED_LABELS });
    // Dropped, the selector selects every pod of the namespace.
    assert.deepEqual(engine.policies.policies[0]?.podSelector, {});
    assert.match(
      messages(engine)[0] ?? '',
      /a label selector has no field app \(labels go under matchLabels\)/,
    );
  });

  it('the loader reports each problem at its field, and the policy is still scanned', () => {
    const result = loadManifestText(MISPLACED_LABELS, 'np.yaml');
    assert.equal(result.entries.length, 1);
    assert.deepEqual(
      result.issues.map((issue) => `${issue.code} ${issue.severity} ${issue.line}:${issue.column}`),
      ['incomplete-object warning 6:5', 'incomplete-object warning 10:39'],
    );
    assert.match(result.issues[1]?.message ?? '', /unknown operator "Is": the selector matches nothing$/);
  });
});

// Admission semantics matched to Pod Security Admission: which updates are re-evaluated, how namespace version
// labels are read, and rules that need other objects of the cluster left out at admission.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modesFromNamespaceLabels } from '../../src/admission/namespace-labels.ts';
import { isSignificantUpdate } from '../../src/admission/update-significance.ts';
import { validateRequest } from '../../src/admission/validation-decision.ts';
import type { KubeObject } from '../../src/core/kube-object.ts';
import {
  compilePolicy as compile,
  podObject as pod,
  admissionRequest as request,
} from './review-fixtures.ts';

const NOW = new Date('2026-11-22T12:00:00Z');

const PSA = 'pod-security.kubernetes.io/';

describe('Namespace updates', () => {
  const namespace = (level: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'shop', labels: { [`${PSA}enforce`]: level } },
  });

  it('evaluates a label downgrade of a Namespace and denies it', () => {
    const policy = compile('defaults:\n  enforce: { rules: [namespace-pod-security-level] }\n');
    const decision = validateRequest(
      request(namespace('privileged'), { operation: 'UPDATE', oldObject: namespace('restricted') }),
      { policy, now: NOW },
    );
    assert.equal(decision.outcome, 'denied');
  });

  it('still ignores server-maintained metadata', () => {
    const old = namespace('restricted');
    const updated = { ...old, metadata: { ...old.metadata, resourceVersion: '2', managedFields: [{}] } };
    assert.equal(isSignificantUpdate(updated, old), false);
  });

  it('ignores a workload’s own labels but not its template’s', () => {
    const deployment = (
      labels: Record<string, string>,
      templateLabels: Record<string, string>,
    ): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'team', labels },
      spec: {
        template: { metadata: { labels: templateLabels }, spec: { containers: [{ name: 'a', image: 'x' }] } },
      },
    });
    assert.equal(isSignificantUpdate(deployment({ a: '1' }, {}), deployment({}, {})), false);
    assert.equal(isSignificantUpdate(deployment({}, { a: '1' }), deployment({}, {})), true);
  });
});

describe('namespace labels read as PolicyToEvaluate reads them', () => {
  const privilegedPod = pod({
    containers: [{ name: 'a', image: 'x', securityContext: { privileged: true } }],
  });
  const honouring = (defaults: string) => compile(`defaults:\n${defaults}namespaceLabels: true\n`);

  it('fails open on an invalid warn or audit level, and closed on an invalid enforce level', () => {
    assert.deepEqual(modesFromNamespaceLabels({ [`${PSA}warn`]: 'strict', [`${PSA}audit`]: 'Baseline' }), {
      modes: { warn: { level: 'privileged' }, audit: { level: 'privileged' } },
      notes: [
        `namespace label ${PSA}warn="strict" is invalid; using privileged`,
        `namespace label ${PSA}audit="Baseline" is invalid; using privileged`,
      ],
    });
    // Default warn restricted: a typo in the warn label turns warnings off, as PSA does, and blocks nothing.
    const decision = validateRequest(request(privilegedPod), {
      policy: honouring('  warn: { level: restricted }\n'),
      now: NOW,
      namespaceLabels: () => ({ [`${PSA}warn`]: 'strict' }),
    });
    assert.equal(decision.response.allowed, true);
    assert.deepEqual(decision.response.warnings, [
      `namespace label ${PSA}warn="strict" is invalid; using privileged`,
    ]);
    assert.deepEqual(modesFromNamespaceLabels({ [`${PSA}enforce`]: 'strict' }).modes, {
      enforce: { level: 'restricted' },
    });
  });

  it('sets only the version with a lone version label, keeping the default level', () => {
    assert.deepEqual(modesFromNamespaceLabels({ [`${PSA}enforce-version`]: 'v1.22' }).modes, {
      enforce: { version: 'v1.22' },
    });
    const policy = honouring('  enforce: { level: baseline, version: v1.25 }\n');
    const [pinned] = policy.rulesFor('shop', { [`${PSA}enforce-version`]: 'v1.22' }).groups;
    assert.equal(pinned?.pssVersion.label, 'v1.22');
    assert.ok(pinned?.rules.some((rule) => rule.id === 'privileged-container'));
    // A level label alone keeps the default's version, not latest.
    const [levelled] = policy.rulesFor('shop', { [`${PSA}enforce`]: 'restricted' }).groups;
    assert.equal(levelled?.pssVersion.label, 'v1.25');
    assert.ok(levelled?.rules.some((rule) => rule.id === 'run-as-non-root'));
  });

  it("reads version labels with PSA's own pattern: `1.24`, `v1.024` and ` v1.24` are invalid, so latest", () => {
    for (const text of ['1.24', 'v1.024', ' v1.24', 'v1.24 ', 'V1.24'])
      assert.deepEqual(modesFromNamespaceLabels({ [`${PSA}enforce-version`]: text }), {
        modes: { enforce: { version: 'latest' } },
        notes: [`namespace label ${PSA}enforce-version="${text}" is invalid; using latest`],
      });
    assert.deepEqual(modesFromNamespaceLabels({ [`${PSA}enforce-version`]: 'v1.0' }).modes, {
      enforce: { version: 'v1.0' },
    });
    assert.match(
      modesFromNamespaceLabels({ [`${PSA}enforce-version`]: 'v1.99' }).notes[0] ?? '',
      /is newer than v1\.\d+; using latest/,
    );
  });
});

describe('namespace version labels', () => {
  for (const version of ['bogus', 'v1.99'])
    it(`keeps the level of a namespace whose version label is ${version}, at latest`, () => {
      const { modes, notes } = modesFromNamespaceLabels({
        [`${PSA}enforce`]: 'privileged',
        [`${PSA}enforce-version`]: version,
      });
      assert.deepEqual(modes.enforce, { level: 'privileged', version: 'latest' });
      assert.equal(notes.length, 1);
    });
});

describe('pod updates Pod Security Admission does not re-evaluate', () => {
  const privileged = (extra: Record<string, unknown> = {}, image = 'r.example/a:1') =>
    pod({ containers: [{ name: 'a', image, securityContext: { privileged: true } }], ...extra });

  it('allows spec changes that keep container count and images', () => {
    const policy = compile('defaults:\n  enforce: { level: baseline }\n');
    const old = privileged({ schedulingGates: [{ name: 'g' }], terminationGracePeriodSeconds: 30 });
    const updated = privileged({ terminationGracePeriodSeconds: 5, activeDeadlineSeconds: 10 });
    const decision = validateRequest(request(updated, { operation: 'UPDATE', oldObject: old }), {
      policy,
      now: NOW,
    });
    assert.equal(decision.outcome, 'skipped');
  });

  it('evaluates an image change, a container added, an ephemeral container added and a seccomp annotation', () => {
    const old = privileged();
    assert.equal(isSignificantUpdate(privileged({}, 'r.example/a:2'), old), true);
    const two = pod({
      containers: [...(old.spec as { containers: unknown[] }).containers, { name: 'b', image: 'x' }],
    });
    assert.equal(isSignificantUpdate(two, old), true);
    assert.equal(
      isSignificantUpdate(privileged({ ephemeralContainers: [{ name: 'e', image: 'x' }] }), old),
      true,
    );
    const annotated = {
      ...old,
      metadata: {
        ...old.metadata,
        annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' },
      },
    };
    assert.equal(isSignificantUpdate(annotated, old), true);
  });
});

describe('rules that need other objects', () => {
  it('are not evaluated at admission, and say so', () => {
    const policy = compile(
      'defaults:\n  enforce: { rules: [missing-network-policy, privileged-container] }\n',
    );
    const decision = validateRequest(request(pod({ containers: [{ name: 'a', image: 'r.example/a:1' }] })), {
      policy,
      now: NOW,
    });
    assert.equal(decision.outcome, 'allowed');
    assert.deepEqual(
      decision.results.map((result) => result.ruleId),
      ['privileged-container'],
    );
    assert.match(
      decision.response.auditAnnotations?.['skipped-cross-object-rules'] ?? '',
      /missing-network-policy/,
    );
  });

  it('include a RuntimeClass or Role that exists elsewhere: a sandboxed pod and a binding to a Role are admitted', () => {
    const policy = compile(
      'defaults:\n  enforce: { rules: [runtime-class-missing, binding-missing-reference] }\n',
    );
    const sandboxed = pod({
      runtimeClassName: 'gvisor',
      containers: [{ name: 'a', image: 'r.example/a:1' }],
    });
    const binding: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'dev', namespace: 'team' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'demo-dev' },
      subjects: [{ kind: 'User', name: 'dev', apiGroup: 'rbac.authorization.k8s.io' }],
    };
    for (const object of [sandboxed, binding]) {
      const decision = validateRequest(request(object), { policy, now: NOW });
      assert.equal(decision.response.allowed, true, object.kind);
      assert.match(
        decision.response.auditAnnotations?.['skipped-cross-object-rules'] ?? '',
        /runtime-class-missing|binding-missing-reference/,
        object.kind,
      );
    }
  });
});

describe('rules that judge the object itself', () => {
  it('still run: a binding to cluster-admin is denied without the rest of the cluster', () => {
    const policy = compile('defaults:\n  enforce: { rules: [cluster-admin-binding] }\n');
    const binding: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'ci-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'ci' }],
    };
    const decision = validateRequest(
      request(binding, {
        kind: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding' },
        resource: { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings' },
      }),
      { policy, now: NOW },
    );
    assert.equal(decision.outcome, 'denied');
  });
});

describe('resource rules on a Pod at admission', () => {
  it('still run: LimitRange defaults are already applied to the pod', () => {
    const policy = compile('defaults:\n  enforce: { rules: [missing-memory-limit] }\n');
    const decision = validateRequest(request(pod({ containers: [{ name: 'a', image: 'r.example/a:1' }] })), {
      policy,
      now: NOW,
    });
    assert.equal(decision.outcome, 'denied');
  });
});

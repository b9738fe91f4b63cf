// The RBAC rules: what each finding names, who is not flagged, scope, de-duplication, hostile shapes, and the
// Kubernetes bootstrap policy and other tools' risky-role catalogues (these two read ../shared and skip without it).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { load as loadYaml } from 'js-yaml';
import { sharedPath, skipWithoutShared } from '../../../test/shared-corpus.ts';
import { evaluate } from '../../core/engine.ts';
import { Inventory } from '../../core/inventory.ts';
import type { KubeObject } from '../../core/kube-object.ts';
import { parsePssVersion } from '../../core/pss-version.ts';
import { loadManifests } from '../../inputs/manifest-loader.ts';
import { powerOfRole } from '../../rbac/power-violations.ts';
import { POWERS } from '../../rbac/powers.ts';
import { RbacIndex } from '../../rbac/rbac-index.ts';
import { assertExamples } from '../workload/rule-test-support.ts';
import { rbacRules } from './index.ts';
import {
  clusterRole,
  clusterRoleBinding,
  group,
  role,
  roleBinding,
  serviceAccount,
  user,
} from './rbac-examples.ts';

const pssVersion = parsePssVersion('latest');

function findings(objects: readonly KubeObject[], ruleIds?: readonly string[]) {
  const rules = ruleIds ? rbacRules.filter((rule) => ruleIds.includes(rule.id)) : rbacRules;
  const result = evaluate(Inventory.of(objects), { rules, pssVersion });
  assert.deepEqual(result.errors, []);
  return result.findings;
}

const ids = (list: ReturnType<typeof findings>) => [...new Set(list.map((finding) => finding.ruleId))].sort();

describe('rbac rules: examples hold alone and together', () => {
  for (const rule of rbacRules) it(rule.id, () => assertExamples(rule));
});

describe('anonymous-access-binding', () => {
  const anonymous = (objects: KubeObject[]) => findings(objects, ['anonymous-access-binding']);
  const clusterInfo = (verbs: string[]) =>
    role('kube-public', 'cluster-info', [
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['cluster-info'], verbs },
    ]);

  it('names the anonymous subject, what its role grants and the binding', () => {
    const [finding, ...rest] = anonymous([
      clusterRoleBinding('open', 'view', [user('alice'), user('system:anonymous')]),
    ]);
    assert.equal(rest.length, 0, 'alice is not anonymous');
    assert.match(
      finding?.message ?? '',
      /^User system:anonymous \(every request without credentials\) is granted ClusterRole view \(a Kubernetes default role\): .*; and \d+ more rules, by ClusterRoleBinding open$/,
    );
    assert.equal(finding?.location.path, 'subjects[1]');
  });

  it("the API server's public endpoints and kubeadm's cluster-info are not findings; anything more is", () => {
    assert.deepEqual(
      anonymous([
        clusterRoleBinding('health', 'system:public-info-viewer', [group('system:unauthenticated')]),
        clusterRoleBinding('oidc', 'system:service-account-issuer-discovery', [
          group('system:unauthenticated'),
        ]),
        clusterInfo(['get']),
        roleBinding('kube-public', 'cluster-info', { kind: 'Role', name: 'cluster-info' }, [
          user('system:anonymous'),
        ]),
      ]),
      [],
    );
    const listing = anonymous([
      clusterInfo(['get', 'list']),
      roleBinding('kube-public', 'cluster-info', { kind: 'Role', name: 'cluster-info' }, [
        user('system:anonymous'),
      ]),
    ]);
    assert.equal(listing.length, 1, 'list reads every ConfigMap of kube-public');
    const everywhere = anonymous([
      clusterRole('cluster-info', [
        { apiGroups: [''], resources: ['configmaps'], resourceNames: ['cluster-info'], verbs: ['get'] },
      ]),
      clusterRoleBinding('cluster-info', 'cluster-info', [user('system:anonymous')]),
    ]);
    assert.equal(everywhere.length, 1, 'a ConfigMap named cluster-info in every namespace is not public');
    const metrics = anonymous([
      clusterRole('metrics', [{ nonResourceURLs: ['/metrics', '/healthz'], verbs: ['get'] }]),
      clusterRoleBinding('metrics', 'metrics', [group('system:unauthenticated')]),
    ]);
    assert.match(metrics[0]?.message ?? '', /get on URLs \/metrics,\/healthz/);
  });

  it('a role that is not found is reported; a group named system:anonymous is nobody', () => {
    const [missing] = anonymous([
      roleBinding('apps', 'later', { kind: 'Role', name: 'later' }, [group('system:unauthenticated')]),
    ]);
    assert.match(missing?.message ?? '', /Role later \(not found: whatever it is given later\)/);
    assert.deepEqual(anonymous([clusterRoleBinding('odd', 'view', [group('system:anonymous')])]), []);
    const refused = roleBinding('apps', 'refused', { kind: 'Role', name: 'x' }, [user('system:anonymous')]);
    (refused.roleRef as { kind: string }).kind = 'Secret';
    assert.deepEqual(
      anonymous([refused]),
      [],
      'a roleRef the API server refuses is binding-missing-reference',
    );
  });
});

describe('rbac rules: findings', () => {
  it('a binding finding names subject, binding and role, and points at the subject', () => {
    const [finding, ...rest] = findings(
      [
        roleBinding('apps', 'ci-edit', { kind: 'ClusterRole', name: 'edit' }, [
          user('alice'),
          serviceAccount('apps', 'ci'),
        ]),
      ],
      ['secrets-read-access'],
    );
    assert.equal(rest.length, 1, 'one finding per subject');
    assert.match(
      finding?.message ?? '',
      /^User alice can read Secrets in namespace apps: get, list, watch secrets, through RoleBinding apps\/ci-edit -> ClusterRole edit \(a Kubernetes default role; rules aggregated from system:aggregate-to-edit\)$/,
    );
    assert.equal(finding?.location.path, 'subjects[0]');
    assert.equal(rest[0]?.location.path, 'subjects[1]');
  });

  it("update or patch on pods is pod-exec-access: a running pod's container images may be changed", () => {
    const objects = (verbs: string[], resources = ['pods']) => [
      role('apps', 'pods', [{ apiGroups: [''], resources, verbs }]),
      roleBinding('apps', 'pods', { kind: 'Role', name: 'pods' }, [user('alice')]),
    ];
    for (const verb of ['update', 'patch']) {
      const found = findings(objects(['get', verb]), ['pod-exec-access']);
      assert.equal(found.length, 1, `${verb}: one finding, at the binding`);
      assert.match(
        found[0]?.message ?? '',
        new RegExp(`^User alice can .*replace their images.*: ${verb} pods`),
      );
    }
    assert.deepEqual(findings(objects(['get', 'list', 'watch', 'delete']), ['pod-exec-access']), []);
    assert.deepEqual(findings(objects(['patch'], ['pods/status']), ['pod-exec-access']), []);
  });

  it('broad groups are said to be broad', () => {
    const [finding] = findings(
      [clusterRoleBinding('all', 'edit', [group('system:authenticated')])],
      ['pod-exec-access'],
    );
    assert.match(
      finding?.message ?? '',
      /Group system:authenticated \(every authenticated user and ServiceAccount\) can run commands/,
    );
    assert.match(finding?.message ?? '', /in every namespace/);
  });

  it("Kubernetes' own components are not flagged; the same grant to a user is", () => {
    const system = [
      clusterRoleBinding('sched', 'system:kube-scheduler', [
        user('system:kube-scheduler'),
        group('system:nodes'),
      ]),
      clusterRoleBinding('masters', 'cluster-admin', [group('system:masters')]),
      {
        ...clusterRoleBinding('system:controller:x', 'system:controller:namespace-controller', [
          serviceAccount('kube-system', 'x'),
        ]),
        metadata: { name: 'system:controller:x', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
      },
    ];
    assert.deepEqual(findings(system, ['cluster-admin-binding']), []);
    const spoofed = clusterRoleBinding('x', 'cluster-admin', [serviceAccount('kube-system', 'x')]);
    assert.equal(
      findings([spoofed], ['cluster-admin-binding']).length,
      1,
      'kube-system accounts bound by others count',
    );
    assert.equal(
      findings(
        [clusterRoleBinding('anon', 'cluster-admin', [user('system:anonymous')])],
        ['cluster-admin-binding'],
      ).length,
      1,
    );
  });

  it('a cluster-admin equivalent is reported once, by cluster-admin-binding', () => {
    const all = findings([clusterRoleBinding('ci', 'cluster-admin', [serviceAccount('ci', 'bot')])]);
    assert.deepEqual(ids(all), ['cluster-admin-binding']);
    const custom = findings([
      clusterRole('god', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
      roleBinding('team', 'god', { kind: 'ClusterRole', name: 'god' }, [group('team')]),
    ]);
    assert.deepEqual(ids(custom), ['cluster-admin-binding']);
    assert.match(custom[0]?.message ?? '', /in namespace team/);
  });

  it('cluster-scoped powers come only through ClusterRoleBindings', () => {
    const proxy = clusterRole('proxy', [
      { apiGroups: [''], resources: ['nodes/proxy', 'persistentvolumes'], verbs: ['get', 'create'] },
    ]);
    const local = roleBinding('team', 'proxy', { kind: 'ClusterRole', name: 'proxy' }, [user('alice')]);
    assert.deepEqual(findings([proxy, local], ['node-proxy-access', 'persistent-volume-create']), []);
    const wide = clusterRoleBinding('proxy', 'proxy', [user('alice')]);
    assert.deepEqual(ids(findings([proxy, wide], ['node-proxy-access', 'persistent-volume-create'])), [
      'node-proxy-access',
      'persistent-volume-create',
    ]);
  });

  it('a role is reported itself only while nobody is bound to it', () => {
    const reader = role('apps', 'reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]);
    const alone = findings([reader], ['secrets-read-access']);
    assert.equal(alone.length, 1);
    assert.equal(alone[0]?.resource.kind, 'Role');
    assert.equal(alone[0]?.location.path, 'rules[0]');
    assert.match(alone[0]?.message ?? '', /no binding in the scanned inputs grants it yet/);
    const bound = findings(
      [
        reader,
        roleBinding('apps', 'reader', { kind: 'Role', name: 'reader' }, [serviceAccount('apps', 'api')]),
      ],
      ['secrets-read-access'],
    );
    assert.deepEqual(
      bound.map((finding) => finding.resource.kind),
      ['RoleBinding'],
    );
  });

  it('a role bound only through an aggregated role is not reported itself', () => {
    const piece = clusterRole('piece', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }], {
      labels: { agg: 'x' },
    });
    const whole = clusterRole('whole', [], { aggregateLabels: [{ agg: 'x' }] });
    const result = findings(
      [piece, whole, clusterRoleBinding('w', 'whole', [user('alice')])],
      ['secrets-read-access', 'aggregated-role-risky-power'],
    );
    assert.deepEqual(
      result.map((finding) => `${finding.ruleId} ${finding.resource.kind}/${finding.resource.name}`).sort(),
      ['aggregated-role-risky-power ClusterRole/whole', 'secrets-read-access ClusterRoleBinding/w'],
    );
    assert.match(
      result.find((finding) => finding.resource.kind === 'ClusterRoleBinding')?.message ?? '',
      /rules aggregated from piece/,
    );
    assert.match(
      result.find((finding) => finding.resource.kind === 'ClusterRole')?.message ?? '',
      /aggregates the power to read Secrets \(list secrets\) from ClusterRole piece; granted to User alice \(ClusterRoleBinding w\)$/,
    );
  });

  it('resourceNames limits are said', () => {
    const [finding] = findings(
      [
        role('apps', 'one', [
          { apiGroups: [''], resources: ['secrets'], resourceNames: ['tls', 'db'], verbs: ['get'] },
        ]),
      ],
      ['secrets-read-access'],
    );
    assert.match(finding?.message ?? '', /only objects named db, tls/);
  });

  it('a create limited by resourceNames creates nothing, unless patch of the name allows a server-side apply', () => {
    const createNamed = { apiGroups: [''], resources: ['pods'], resourceNames: ['web'], verbs: ['create'] };
    for (const ruleId of ['workload-create-access', 'persistent-volume-create', 'webhook-config-write'])
      assert.deepEqual(
        findings(
          [
            role('apps', 'named', [createNamed]),
            clusterRole('named-pv', [{ ...createNamed, resources: ['persistentvolumes'] }]),
            clusterRole('named-webhook', [
              {
                apiGroups: ['admissionregistration.k8s.io'],
                resources: ['validatingwebhookconfigurations'],
                resourceNames: ['w'],
                verbs: ['create'],
              },
            ]),
          ],
          [ruleId],
        ),
        [],
        ruleId,
      );
    const [finding, ...more] = findings(
      [
        role('apps', 'apply', [
          createNamed,
          { apiGroups: [''], resources: ['pods'], resourceNames: ['web', 'api'], verbs: ['patch'] },
        ]),
      ],
      ['workload-create-access'],
    );
    assert.equal(more.length, 0);
    assert.match(finding?.message ?? '', /create pods \(only objects named web\)/);
  });

  it('missing references: role, ServiceAccount in a namespace whose accounts are known, and a refused roleRef', () => {
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'apps' } };
    const result = findings(
      [
        sa,
        roleBinding('apps', 'ok', { kind: 'ClusterRole', name: 'view' }, [
          serviceAccount('apps', 'api'),
          serviceAccount('apps', 'default'),
        ]),
        roleBinding('apps', 'typo', { kind: 'ClusterRole', name: 'view' }, [
          serviceAccount('apps', 'apii'),
          serviceAccount('other', 'x'),
        ]),
        clusterRoleBinding('ghost', 'ghost-role', [user('alice')]),
        {
          ...clusterRoleBinding('bad', 'x', [user('alice')]),
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'x' },
        },
        clusterRoleBinding('ctrl', 'view', [serviceAccount('kube-system', 'deployment-controller')]),
      ],
      ['binding-missing-reference'],
    );
    assert.deepEqual(result.map((finding) => `${finding.resource.name} ${finding.location.path}`).sort(), [
      'bad roleRef.name',
      'ghost roleRef.name',
      'typo subjects[0]',
    ]);
  });

  it('default ServiceAccounts bound to roles', () => {
    const result = findings(
      [
        roleBinding('apps', 'd', { kind: 'ClusterRole', name: 'view' }, [
          { kind: 'ServiceAccount', name: 'default' },
        ]),
      ],
      ['default-service-account-binding'],
    );
    assert.equal(result.length, 1);
    assert.match(
      result[0]?.message ?? '',
      /default ServiceAccount of namespace apps is bound to ClusterRole view/,
    );
  });

  it('the ServiceAccount groups include the default accounts; a refused roleRef grants nothing', () => {
    const defaults = (objects: KubeObject[]) => findings(objects, ['default-service-account-binding']);
    const [namespaceGroup] = defaults([
      roleBinding('t', 'all-edit', { kind: 'ClusterRole', name: 'edit' }, [
        group('system:serviceaccounts:t'),
      ]),
    ]);
    assert.match(
      namespaceGroup?.message ?? '',
      /^every ServiceAccount of namespace t \(group system:serviceaccounts:t\) is bound to ClusterRole edit .* by RoleBinding t\/all-edit: every pod of that namespace gets it, those without their own ServiceAccount included$/,
    );
    const [everyone] = defaults([clusterRoleBinding('psp', 'view', [group('system:serviceaccounts')])]);
    assert.match(
      everyone?.message ?? '',
      /every ServiceAccount of every namespace .*every pod of the cluster gets it/,
    );
    assert.deepEqual(
      defaults([
        clusterRoleBinding('discovery', 'system:service-account-issuer-discovery', [
          group('system:serviceaccounts'),
        ]),
        roleBinding('t', 'other-group', { kind: 'ClusterRole', name: 'view' }, [
          group('system:authenticated'),
        ]),
      ]),
      [],
    );
    const noRoleRef: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'no-ref', namespace: 't' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 't' }],
    };
    assert.deepEqual(defaults([noRoleRef]), [], 'the API server refuses a binding without roleRef');
  });

  it('hostile shapes give no rule error', () => {
    const odd: KubeObject[] = [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'r' },
        rules: 'x',
        aggregationRule: 5,
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'r2' },
        rules: [null, 5, { verbs: 'get', resources: [1] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'a' },
        aggregationRule: { clusterRoleSelectors: [null, { matchLabels: 5 }, { matchExpressions: 'x' }] },
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'b' },
        roleRef: null,
        subjects: 'x',
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'c' },
        roleRef: { kind: 5 },
        subjects: [null, { kind: 'Alien', name: 'x' }, { kind: 'User' }],
      },
      {
        apiVersion: 'example.com/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'crd' },
        roleRef: { name: 'cluster-admin' },
      },
    ];
    findings(odd);
  });
});

describe('the Kubernetes bootstrap policy', {
  skip: skipWithoutShared('corpus', 'rbac', 'k8s-bootstrap-policy'),
}, () => {
  it('gives no finding: every powerful default binding is to a Kubernetes component', async () => {
    const loaded = await loadManifests([sharedPath('corpus', 'rbac', 'k8s-bootstrap-policy')]);
    assert.ok(loaded.entries.length > 100);
    const result = evaluate(new Inventory(loaded.entries), { rules: rbacRules, pssVersion });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(
      result.findings.map((finding) => `${finding.ruleId} ${finding.resource.name}: ${finding.message}`),
      [],
    );
  });

  it('the default roles that really grant the risky powers are these, and binding them is reported', async () => {
    const loaded = await loadManifests([
      sharedPath('corpus', 'rbac', 'k8s-bootstrap-policy', 'cluster-roles.yaml'),
    ]);
    const index = RbacIndex.of(new Inventory(loaded.entries));
    const holders = (powerId: string) =>
      [...index.clusterRoles.values()]
        .filter((candidate) => candidate.origin === 'inventory')
        .filter((candidate) => {
          const power = POWERS.find((p) => p.id === powerId);
          return power !== undefined && powerOfRole(candidate, power) !== undefined;
        })
        .map((candidate) => candidate.name)
        .sort();
    assert.deepEqual(holders('cluster-admin'), ['cluster-admin']);
    assert.deepEqual(holders('read-secrets'), [
      'admin',
      'cluster-admin',
      'edit',
      'system:aggregate-to-edit',
      'system:kube-controller-manager',
      'system:node',
    ]);
    assert.deepEqual(holders('pod-exec'), ['admin', 'cluster-admin', 'edit', 'system:aggregate-to-edit']);
    assert.deepEqual(holders('escalate-bind-impersonate'), [
      'admin',
      'cluster-admin',
      'edit',
      'system:aggregate-to-edit',
    ]);
    assert.deepEqual(holders('node-proxy'), ['cluster-admin', 'system:kubelet-api-admin']);
    assert.ok(!holders('read-secrets').includes('view'), 'view never reads Secrets');
    const bound = findings([
      roleBinding('apps', 'devs', { kind: 'ClusterRole', name: 'view' }, [group('devs')]),
    ]);
    assert.deepEqual(bound, [], 'binding view is fine');
  });
});

describe('rbac rules: what a RoleBinding can grant', () => {
  it('escalate-bind-impersonate counts only the namespaced parts of a ClusterRole bound in one namespace', () => {
    const impersonator = clusterRole('impersonator', [
      { apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] },
    ]);
    const messages = (objects: KubeObject[]) =>
      findings(objects, ['escalate-bind-impersonate']).map((finding) => finding.message);
    // Impersonating users and groups and escalating ClusterRoles are cluster-scoped: a RoleBinding grants neither.
    assert.deepEqual(
      messages([
        impersonator,
        roleBinding('apps', 'ci', { kind: 'ClusterRole', name: 'impersonator' }, [user('alice')]),
      ]),
      [],
    );
    const both = clusterRole('both', [
      { apiGroups: [''], resources: ['users', 'serviceaccounts'], verbs: ['impersonate'] },
    ]);
    const [inNamespace, ...none] = messages([
      both,
      roleBinding('apps', 'ci', { kind: 'ClusterRole', name: 'both' }, [user('alice')]),
    ]);
    assert.deepEqual(none, []);
    assert.match(inNamespace ?? '', /in namespace apps: impersonate serviceaccounts,/);
    assert.doesNotMatch(inNamespace ?? '', /users/);
    // Through a ClusterRoleBinding, all of it.
    const [clusterWide] = messages([both, clusterRoleBinding('ci', 'both', [user('alice')])]);
    assert.match(clusterWide ?? '', /impersonate .*users/);
  });

  it('escalate-bind-impersonate limited by resourceNames is still reported, naming the objects', () => {
    const named = clusterRole('impersonate-jane', [
      { apiGroups: [''], resources: ['users'], resourceNames: ['jane'], verbs: ['impersonate'] },
      {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['roles'],
        resourceNames: ['ops'],
        verbs: ['bind'],
      },
    ]);
    const [message] = findings(
      [named, clusterRoleBinding('ci', 'impersonate-jane', [user('alice')])],
      ['escalate-bind-impersonate'],
    ).map((finding) => finding.message);
    assert.match(message ?? '', /: impersonate users; bind roles \(only objects named jane, ops\), through/);
  });
});

describe("other tools' risky-role catalogues", {
  skip: skipWithoutShared('corpus', 'rbac', 'kubiscan', 'risky_roles.yaml'),
}, () => {
  it('every KubiScan CRITICAL and HIGH pattern is flagged, and these only as wildcards', async () => {
    // KubiScan writes apiGroups ["*"] everywhere; the real group is put back so that wildcard-permissions does not
    // flag every entry for that alone.
    const text = readFileSync(sharedPath('corpus', 'rbac', 'kubiscan', 'risky_roles.yaml'), 'utf8');
    // Not Kubernetes objects (no apiVersion), and some entries are mis-indented: each `- kind:` item is read alone.
    const items = text
      .split(/\n\s*- kind: /)
      .slice(1)
      .map((chunk) => {
        const [first, ...rest] = chunk.split('\n');
        const body = rest.map((line) => line.replace(/^ {2}/, '')).join('\n');
        return loadYaml(`kind: ${first}\n${body}`) as { metadata: Record<string, string>; rules: unknown };
      });
    const groups: Record<string, string> = {
      deployments: 'apps',
      daemonsets: 'apps',
      statefulsets: 'apps',
      replicasets: 'apps',
      jobs: 'batch',
      cronjobs: 'batch',
      roles: 'rbac.authorization.k8s.io',
      clusterroles: 'rbac.authorization.k8s.io',
      rolebindings: 'rbac.authorization.k8s.io',
      clusterrolebindings: 'rbac.authorization.k8s.io',
    };
    const onlyWildcard: string[] = [];
    let checked = 0;
    for (const object of items) {
      const priority = object.metadata.priority;
      if (priority !== 'CRITICAL' && priority !== 'HIGH') continue;
      const rules = (object.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[]).map(
        (rule) => ({
          ...rule,
          apiGroups: rule.resources.includes('*')
            ? ['*']
            : [...new Set(rule.resources.map((resource) => groups[resource.split('/')[0] ?? ''] ?? ''))],
        }),
      );
      const probe = clusterRole(String(object.metadata.name), rules);
      const flagged = ids(findings([probe]));
      checked++;
      // KubiScan's one disagreement with the API server: `update jobs` is HIGH there, but a Job's pod template is
      // immutable (ValidateJobSpecUpdate), so the update runs nothing new. Updating a CronJob still is a power.
      const updatesJobsOnly = rules.every(
        (rule) => rule.resources.join() === 'jobs' && rule.verbs.every((verb) => verb === 'update'),
      );
      if (updatesJobsOnly) {
        assert.deepEqual(flagged, [], `${object.metadata.name} on jobs`);
        continue;
      }
      assert.ok(flagged.length > 0, `${object.metadata.name} is not flagged`);
      if (flagged.every((id) => id === 'wildcard-permissions'))
        onlyWildcard.push(String(object.metadata.name));
    }
    assert.ok(checked > 30, `read ${checked} KubiScan roles`);
    // `*` on bindings escalates only together with `bind` or roles already held: reported as a wildcard, not a power.
    // (`delete` on everything is a power: it deletes admission webhook configurations.)
    assert.deepEqual([...new Set(onlyWildcard)].sort(), [
      'risky-any-verb-clusterrolebindings',
      'risky-any-verb-rolebindings',
    ]);
  });
});

describe('rbac rules: default roles redefined in the inputs', () => {
  const binding = clusterRoleBinding('ci-admin', 'cluster-admin', [user('ci')]);
  const narrowed = (annotations?: Record<string, string>) => {
    const role = clusterRole('cluster-admin', [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
    ]);
    if (annotations) role.metadata.annotations = annotations;
    return role;
  };

  it('the API server adds the default rules back at start-up: cluster-admin still grants everything', () => {
    assert.deepEqual(ids(findings([binding, narrowed()], ['cluster-admin-binding'])), [
      'cluster-admin-binding',
    ]);
  });

  it('unless the role opts out of reconciliation with autoupdate "false"', () => {
    const kept = narrowed({ 'rbac.authorization.kubernetes.io/autoupdate': 'false' });
    assert.deepEqual(findings([binding, kept], ['cluster-admin-binding']), []);
  });
});

describe('rbac rules: the bootstrap label', () => {
  it('hides default roles nobody is bound to, but not a custom role that borrows the label', () => {
    const label = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
    const defaults = [
      clusterRole('edit', [], {
        labels: label,
        aggregateLabels: [{ 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }],
      }),
    ];
    assert.deepEqual(findings(defaults), []);
    const borrowed = clusterRole(
      'my-operator',
      [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }],
      { labels: label },
    );
    assert.deepEqual(ids(findings([borrowed])), ['secrets-read-access']);
  });
});

describe('missing ServiceAccounts in rbac-tool fixtures', {
  skip: skipWithoutShared('corpus', 'rbac', 'rbac-tool', 'testdata', 'viz'),
}, () => {
  const fixture = (name: string) => sharedPath('corpus', 'rbac', 'rbac-tool', 'testdata', 'viz', name);
  const missing = async (name: string) => {
    const loaded = await loadManifests([fixture(name)]);
    const result = evaluate(new Inventory(loaded.entries), {
      rules: rbacRules.filter((rule) => rule.id === 'binding-missing-reference'),
      pssVersion,
    });
    return result.findings.map((finding) => `${finding.resource.name} ${finding.location.path}`).sort();
  };

  it('the namespace defined without its ServiceAccount: both bindings are reported', async () => {
    assert.deepEqual(await missing('multiple-rolebindings-in-ns-missing-service-account.yaml'), [
      'example-rolebinding-1 subjects[0]',
      'example-rolebinding-2 subjects[0]',
    ]);
  });

  it('with the ServiceAccount: nothing', async () => {
    assert.deepEqual(await missing('multiple-rolebindings-in-ns.yaml'), []);
  });
});

describe('csr-approval-access: the two permissions from two bindings of one subject', () => {
  const approval = clusterRole('csr-approval', [
    {
      apiGroups: ['certificates.k8s.io'],
      resources: ['certificatesigningrequests/approval'],
      verbs: ['update'],
    },
  ]);
  const signer = clusterRole('csr-signer', [
    { apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'] },
  ]);
  const csr = (objects: KubeObject[]) => findings(objects, ['csr-approval-access']);

  it('is reported on each binding, naming the other', () => {
    const found = csr([
      approval,
      signer,
      clusterRoleBinding('carol-approval', 'csr-approval', [user('carol'), user('dave')]),
      clusterRoleBinding('carol-signer', 'csr-signer', [user('carol')]),
    ]);
    assert.deepEqual(
      found.map((finding) => [finding.resource.name, finding.location.path]),
      [
        ['carol-approval', 'subjects[0]'],
        ['carol-signer', 'subjects[0]'],
      ],
      'dave holds only half of it',
    );
    assert.match(
      found[0]?.message ?? '',
      /^User carol can approve certificate signing requests cluster-wide: update certificatesigningrequests\/approval and approve any signer, through ClusterRoleBinding carol-approval -> ClusterRole csr-approval together with ClusterRoleBinding carol-signer -> ClusterRole csr-signer$/,
    );
  });

  it('a RoleBinding grants neither half, and a binding whose partner alone holds both is not part of it', () => {
    const both = clusterRole('csr-both', [
      {
        apiGroups: ['certificates.k8s.io'],
        resources: ['certificatesigningrequests/approval'],
        verbs: ['update'],
      },
      { apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'] },
    ]);
    assert.deepEqual(
      csr([
        approval,
        signer,
        clusterRoleBinding('carol-approval', 'csr-approval', [user('carol')]),
        roleBinding('team', 'carol-signer', { kind: 'ClusterRole', name: 'csr-signer' }, [user('carol')]),
      ]),
      [],
    );
    assert.deepEqual(
      csr([
        approval,
        both,
        clusterRoleBinding('carol-approval', 'csr-approval', [user('carol')]),
        clusterRoleBinding('carol-both', 'csr-both', [user('carol')]),
      ]).map((finding) => finding.resource.name),
      ['carol-both'],
    );
  });
});

describe('a create of a subresource limited by resourceNames', () => {
  it('works on the named objects (their name is in the URL), and is reported naming them', () => {
    const named = role('test', 'exec-one-pod', [
      { apiGroups: [''], resources: ['pods/exec'], resourceNames: ['web-0'], verbs: ['create'] },
      {
        apiGroups: [''],
        resources: ['serviceaccounts/token'],
        resourceNames: ['builder'],
        verbs: ['create'],
      },
      // A plain create carries no name: resourceNames leave it nothing.
      { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'], verbs: ['create'] },
    ]);
    const found = findings(
      [named, roleBinding('test', 'exec', { kind: 'Role', name: 'exec-one-pod' }, [user('testuser')])],
      ['pod-exec-access', 'service-account-token-create', 'workload-create-access'],
    );
    assert.deepEqual(
      found.map((finding) => [finding.ruleId, /\(only objects named (\S+)\)/.exec(finding.message)?.[1]]),
      [
        ['pod-exec-access', 'web-0'],
        ['service-account-token-create', 'builder'],
      ],
    );
  });
});

describe('a role nobody is bound to', () => {
  it('says where its grants would apply: a Role, in its own namespace only', () => {
    const messages = (object: KubeObject) =>
      findings([object], ['cluster-admin-binding']).map((finding) => finding.message);
    const all = [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];
    assert.match(
      messages(role('test', 'all', all))[0] ?? '',
      /^Role test\/all lets whoever is bound to it do anything \(cluster-admin equivalent\) in namespace test: /,
    );
    assert.match(
      messages(clusterRole('all', all))[0] ?? '',
      /^ClusterRole all lets whoever is bound to it do anything \(cluster-admin equivalent\): /,
    );
  });

  it('a binding that grants it to nobody leaves it reported as the role', () => {
    const all = clusterRole('all', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]);
    const unbound = (binding: KubeObject) =>
      findings([all, binding], ['cluster-admin-binding']).map((finding) => finding.resource.kind);
    assert.deepEqual(unbound(clusterRoleBinding('empty', 'all', [])), ['ClusterRole']);
    // A ServiceAccount without a namespace matches nobody in a ClusterRoleBinding.
    assert.deepEqual(unbound(clusterRoleBinding('no-ns', 'all', [{ kind: 'ServiceAccount', name: 'ci' }])), [
      'ClusterRole',
    ]);
    assert.deepEqual(unbound(clusterRoleBinding('real', 'all', [user('alice')])), ['ClusterRoleBinding']);
  });
});

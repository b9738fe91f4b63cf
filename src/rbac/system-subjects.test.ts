// Which `system:` subjects the RBAC rules leave alone: components getting their own roles, not any grant to a name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../core/engine.ts';
import { Inventory } from '../core/inventory.ts';
import type { KubeObject } from '../core/kube-object.ts';
import { parsePssVersion } from '../core/pss-version.ts';
import { rbacRules } from '../rules/rbac/index.ts';
import { clusterRoleBinding, group, roleBinding, serviceAccount, user } from '../rules/rbac/rbac-examples.ts';
import type { BindingRecord } from './binding-records.ts';
import { isSystemComponent } from './system-subjects.ts';

const pssVersion = parsePssVersion('latest');
const BOOTSTRAP = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

function labelled(object: KubeObject): KubeObject {
  return { ...object, metadata: { ...object.metadata, labels: BOOTSTRAP } };
}

function findings(objects: readonly KubeObject[], ruleIds?: readonly string[]) {
  const rules = ruleIds ? rbacRules.filter((rule) => ruleIds.includes(rule.id)) : rbacRules;
  const result = evaluate(Inventory.of(objects), { rules, pssVersion });
  assert.deepEqual(result.errors, []);
  return result.findings;
}

function binding(
  roleName: string,
  extra: Partial<Pick<BindingRecord, 'bootstrap' | 'kind' | 'namespace'>> = {},
  roleKind = 'ClusterRole',
): Pick<BindingRecord, 'bootstrap' | 'kind' | 'namespace' | 'roleRef'> {
  return {
    bootstrap: false,
    kind: 'ClusterRoleBinding',
    namespace: '',
    ...extra,
    roleRef: { kind: roleKind, name: roleName, apiGroup: 'rbac.authorization.k8s.io' },
  };
}

describe('system subjects: cluster-admin to system: names outside the defaults', () => {
  it('bootstrappers, nodes and kube-proxy bound to cluster-admin are three critical findings', () => {
    const repro = clusterRoleBinding('oops', 'cluster-admin', [
      group('system:bootstrappers'),
      group('system:nodes'),
      user('system:kube-proxy'),
    ]);
    const found = findings([repro], ['cluster-admin-binding']);
    assert.deepEqual(
      found.map((finding) => [finding.severity, finding.location.path]),
      [
        ['critical', 'subjects[0]'],
        ['critical', 'subjects[1]'],
        ['critical', 'subjects[2]'],
      ],
    );
    assert.match(found[0]?.message ?? '', /^Group system:bootstrappers /);
  });

  it('the bootstrap label does not make cluster-admin a component role', () => {
    const spoofed = labelled(clusterRoleBinding('system:oops', 'cluster-admin', [group('system:nodes')]));
    assert.equal(findings([spoofed], ['cluster-admin-binding']).length, 1);
  });

  it('a custom role named like a component role but able to do anything is no component grant', () => {
    const impostor: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:node' },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    };
    const bound = clusterRoleBinding('nodes', 'system:node', [group('system:nodes')]);
    const found = findings([impostor, bound], ['cluster-admin-binding']);
    assert.deepEqual(
      found.map((finding) => finding.location.path),
      ['subjects[0]'],
    );
  });

  it('the bootstrap label does not hide a kube-system ServiceAccount bound to cluster-admin', () => {
    const spoofed = labelled(
      clusterRoleBinding('system:oops', 'cluster-admin', [
        serviceAccount('kube-system', 'default'),
        serviceAccount('kube-system', 'job-controller'),
      ]),
    );
    const found = findings([spoofed], ['cluster-admin-binding', 'default-service-account-binding']);
    assert.deepEqual(found.map((finding) => `${finding.ruleId} ${finding.location.path}`).sort(), [
      'cluster-admin-binding subjects[0]',
      'cluster-admin-binding subjects[1]',
      'default-service-account-binding subjects[0]',
    ]);
  });

  it('a ServiceAccount named by its user name is the same account', () => {
    const asUser = roleBinding('apps', 'default-view', { kind: 'ClusterRole', name: 'view' }, [
      user('system:serviceaccount:apps:default'),
    ]);
    const found = findings([asUser], ['default-service-account-binding']);
    assert.deepEqual(
      found.map((finding) => finding.location.path),
      ['subjects[0]'],
    );
    assert.match(
      found[0]?.message ?? '',
      /default ServiceAccount of namespace apps is bound to ClusterRole view/,
    );
  });

  it('user-facing roles to system: names are weighed like anyone else', () => {
    const edit = roleBinding('apps', 'nodes-edit', { kind: 'ClusterRole', name: 'edit' }, [
      group('system:nodes'),
    ]);
    assert.ok(findings([edit]).length > 0);
  });

  it('broad groups and the anonymous user are never components, even in a default binding', () => {
    const broad = labelled(
      clusterRoleBinding('system:x', 'system:kube-controller-manager', [
        group('system:authenticated'),
        group('system:unauthenticated'),
        user('system:anonymous'),
      ]),
    );
    assert.equal(findings([broad], ['secrets-read-access']).length, 3);
  });
});

describe('system subjects: the defaults stay quiet', () => {
  it('the default cluster-admin binding to system:masters gives nothing', () => {
    const defaults = labelled(
      clusterRoleBinding('cluster-admin', 'cluster-admin', [group('system:masters')]),
    );
    assert.deepEqual(findings([defaults]), []);
  });

  it('system:masters holds everything anyway: a grant to it is no finding, labelled or not', () => {
    assert.deepEqual(
      findings([clusterRoleBinding('masters', 'cluster-admin', [group('system:masters')])]),
      [],
    );
  });

  it("kubeadm's unlabelled bindings of component roles give nothing", () => {
    const kubeadm = [
      clusterRoleBinding('kubeadm:kubelet-bootstrap', 'system:node-bootstrapper', [
        group('system:bootstrappers:kubeadm:default-node-token'),
      ]),
      clusterRoleBinding(
        'kubeadm:node-autoapprove-bootstrap',
        'system:certificates.k8s.io:certificatesigningrequests:nodeclient',
        [group('system:bootstrappers:kubeadm:default-node-token')],
      ),
      clusterRoleBinding(
        'kubeadm:node-autoapprove-certificate-rotation',
        'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient',
        [group('system:nodes')],
      ),
      clusterRoleBinding('kubeadm:node-proxier', 'system:node-proxier', [
        serviceAccount('kube-system', 'kube-proxy'),
      ]),
      // An older distribution's binding of a component role that does read Secrets.
      clusterRoleBinding('kcm', 'system:kube-controller-manager', [user('system:kube-controller-manager')]),
    ];
    assert.deepEqual(findings(kubeadm), []);
  });

  it("the controllers' default bindings give nothing", () => {
    const controllers = labelled(
      clusterRoleBinding('system:controller:job-controller', 'system:controller:job-controller', [
        serviceAccount('kube-system', 'job-controller'),
      ]),
    );
    assert.deepEqual(findings([controllers]), []);
  });

  it("kubeadm's cluster-admins group is not a system: name: reported", () => {
    const admins = clusterRoleBinding('kubeadm:cluster-admins', 'cluster-admin', [
      group('kubeadm:cluster-admins'),
    ]);
    assert.equal(findings([admins], ['cluster-admin-binding']).length, 1);
  });
});

describe('isSystemComponent', () => {
  it('weighs the role a system: user or group is given', () => {
    const nodes = { kind: 'Group', name: 'system:nodes', namespace: '' } as const;
    assert.equal(isSystemComponent(nodes, binding('cluster-admin')), false);
    assert.equal(isSystemComponent(nodes, binding('cluster-admin', { bootstrap: true })), false);
    assert.equal(isSystemComponent(nodes, binding('system:node')), true);
    assert.equal(isSystemComponent(nodes, binding('system:aggregate-to-edit')), false);
    assert.equal(isSystemComponent(nodes, binding('custom')), false);
    // A `system:` role of another Kubernetes version counts only in a default binding.
    assert.equal(isSystemComponent(nodes, binding('system:future-role')), false);
    assert.equal(isSystemComponent(nodes, binding('system:future-role', { bootstrap: true })), true);
  });

  it('knows the default namespaced roles of components', () => {
    const scheduler = { kind: 'User', name: 'system:kube-scheduler', namespace: '' } as const;
    const reader = binding(
      'extension-apiserver-authentication-reader',
      { kind: 'RoleBinding', namespace: 'kube-system' },
      'Role',
    );
    assert.equal(isSystemComponent(scheduler, reader), true);
    assert.equal(isSystemComponent(scheduler, { ...reader, namespace: 'apps' }), false);
  });

  it('ServiceAccount users are not components by their name', () => {
    const account = { kind: 'User', name: 'system:serviceaccount:kube-system:x', namespace: '' } as const;
    assert.equal(isSystemComponent(account, binding('system:node', { bootstrap: true })), false);
  });
});

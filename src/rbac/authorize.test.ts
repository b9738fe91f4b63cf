// The resolver against the RBAC authorizer's semantics, one corner per case.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inventory } from '../core/inventory.ts';
import type { KubeObject } from '../core/kube-object.ts';
import {
  clusterRole,
  clusterRoleBinding,
  group,
  role,
  roleBinding,
  serviceAccount,
  user,
} from '../rules/rbac/rbac-examples.ts';
import { authorize } from './authorize.ts';
import type { AccessRequest } from './policy-rule.ts';
import { RbacIndex } from './rbac-index.ts';
import { parseRequest } from './request-text.ts';
import { identityOfSubject, parseSubjectText } from './subject.ts';
import { whoCan } from './who-can.ts';

function can(objects: KubeObject[], subject: string, verb: string, resource: string, options = {}): boolean {
  const index = RbacIndex.of(Inventory.of(objects));
  const identity = identityOfSubject(parseSubjectText(subject));
  return authorize(index, identity, parseRequest(verb, resource, options)).allowed;
}

const bindAlice = (roleName: string) => clusterRoleBinding('alice', roleName, [user('alice')]);

describe('rule matching', () => {
  it('"*" resources match subresources too', () => {
    const objects = [
      clusterRole('all', [{ apiGroups: [''], resources: ['*'], verbs: ['create'] }]),
      bindAlice('all'),
    ];
    assert.equal(can(objects, 'user:alice', 'create', 'pods/exec', { namespace: 'a' }), true);
  });

  it('"*/scale" matches the scale subresource of any resource, and nothing else', () => {
    const objects = [
      clusterRole('scaler', [{ apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] }]),
      bindAlice('scaler'),
    ];
    assert.equal(can(objects, 'user:alice', 'update', 'deployments/scale', { namespace: 'a' }), true);
    assert.equal(can(objects, 'user:alice', 'update', 'deployments', { namespace: 'a' }), false);
    assert.equal(can(objects, 'user:alice', 'update', 'deployments/status', { namespace: 'a' }), false);
  });

  it('"pods/*" is not a wildcard, and "pods" does not cover its subresources', () => {
    const objects = [
      clusterRole('pods', [{ apiGroups: [''], resources: ['pods', 'pods/*'], verbs: ['create'] }]),
      bindAlice('pods'),
    ];
    assert.equal(can(objects, 'user:alice', 'create', 'pods', { namespace: 'a' }), true);
    assert.equal(can(objects, 'user:alice', 'create', 'pods/exec', { namespace: 'a' }), false);
  });

  it('verbs and groups match exactly (case-sensitive) unless "*"', () => {
    const objects = [
      clusterRole('r', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] }]),
      bindAlice('r'),
    ];
    assert.equal(can(objects, 'user:alice', 'get', 'deployments', { namespace: 'a' }), true);
    assert.equal(can(objects, 'user:alice', 'GET', 'deployments', { namespace: 'a' }), false);
    assert.equal(can(objects, 'user:alice', 'get', 'deployments.extensions', { namespace: 'a' }), false);
  });

  it('a rule with no apiGroups matches nothing', () => {
    const objects = [clusterRole('r', [{ resources: ['pods'], verbs: ['get'] }]), bindAlice('r')];
    assert.equal(can(objects, 'user:alice', 'get', 'pods', { namespace: 'a' }), false);
  });

  it('resourceNames allow named requests only: not list, create or deletecollection', () => {
    const objects = [
      clusterRole('one', [
        { apiGroups: [''], resources: ['secrets'], resourceNames: ['tls'], verbs: ['get', 'list', 'create'] },
      ]),
      bindAlice('one'),
    ];
    assert.equal(can(objects, 'user:alice', 'get', 'secrets', { namespace: 'a', name: 'tls' }), true);
    assert.equal(can(objects, 'user:alice', 'get', 'secrets', { namespace: 'a', name: 'other' }), false);
    assert.equal(can(objects, 'user:alice', 'list', 'secrets', { namespace: 'a' }), false);
    assert.equal(can(objects, 'user:alice', 'create', 'secrets', { namespace: 'a' }), false);
  });

  it('resourceNames [""] allow the nameless requests (list, create), as the authorizer compares names as strings', () => {
    const objects = [
      clusterRole('blank', [
        {
          apiGroups: [''],
          resources: ['secrets', 'pods'],
          resourceNames: [''],
          verbs: ['get', 'list', 'create'],
        },
      ]),
      bindAlice('blank'),
    ];
    assert.equal(can(objects, 'user:alice', 'list', 'secrets', { namespace: 'a' }), true);
    assert.equal(can(objects, 'user:alice', 'create', 'pods', { namespace: 'a' }), true);
    assert.equal(can(objects, 'user:alice', 'get', 'secrets', { namespace: 'a', name: 'tls' }), false);
  });

  it('a verb is any word to the authorizer, digits included (TestRuleMatches "star verb")', () => {
    const objects = [
      clusterRole('any', [{ apiGroups: ['group1'], resources: ['resource1'], verbs: ['*'] }]),
      bindAlice('any'),
    ];
    assert.equal(can(objects, 'user:alice', 'verb1', 'resource1.group1', { namespace: 'a' }), true);
  });

  it('create and deletecollection carry no name, so resourceNames cannot allow them', () => {
    const objects = [
      clusterRole('named', [
        {
          apiGroups: [''],
          resources: ['configmaps', 'pods/exec'],
          resourceNames: ['a', 'web'],
          verbs: ['create', 'deletecollection', 'delete'],
        },
      ]),
      bindAlice('named'),
    ];
    const named = (verb: string, resource: string, name: string) =>
      can(objects, 'user:alice', verb, resource, { namespace: 'ns', name });
    assert.equal(named('create', 'configmaps', 'a'), false);
    assert.equal(named('deletecollection', 'configmaps', 'a'), false);
    assert.equal(named('delete', 'configmaps', 'a'), true);
    // A subresource is named in its URL: pods/web/exec.
    assert.equal(named('create', 'pods/exec', 'web'), true);
  });

  it('well-known resources of every built-in group are asked in their group without it being written', () => {
    const objects = [
      clusterRole('r', [
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list'] },
        { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
      ]),
      bindAlice('r'),
    ];
    assert.equal(can(objects, 'user:alice', 'list', 'endpointslices', { namespace: 'a' }), true);
    assert.equal(can(objects, 'user:alice', 'create', 'localsubjectaccessreviews', { namespace: 'a' }), true);
  });

  it('nonResourceURLs ending in several "*" are the prefix without them', () => {
    const objects = [
      clusterRole('urls', [{ nonResourceURLs: ['/api**'], verbs: ['get'] }]),
      bindAlice('urls'),
    ];
    assert.equal(can(objects, 'user:alice', 'get', '/api'), true);
    assert.equal(can(objects, 'user:alice', 'get', '/apis/apps'), true);
    assert.equal(can(objects, 'user:alice', 'get', '/healthz'), false);
  });

  it('nonResourceURLs: exact paths, "*" and trailing-"*" prefixes', () => {
    const objects = [
      clusterRole('urls', [{ nonResourceURLs: ['/healthz', '/metrics/*'], verbs: ['get'] }]),
      bindAlice('urls'),
    ];
    assert.equal(can(objects, 'user:alice', 'get', '/healthz'), true);
    assert.equal(can(objects, 'user:alice', 'get', '/healthz/etcd'), false);
    assert.equal(can(objects, 'user:alice', 'get', '/metrics/cadvisor'), true);
    assert.equal(can(objects, 'user:alice', 'post', '/healthz'), false);
  });
});

describe('scope of bindings', () => {
  const reader = clusterRole('reader', [
    { apiGroups: [''], resources: ['pods', 'nodes', 'namespaces'], verbs: ['get'] },
    { nonResourceURLs: ['/metrics'], verbs: ['get'] },
  ]);
  const local = [
    reader,
    roleBinding('team', 'reader', { kind: 'ClusterRole', name: 'reader' }, [user('alice')]),
  ];

  it('a RoleBinding to a ClusterRole grants it in its own namespace only', () => {
    assert.equal(can(local, 'user:alice', 'get', 'pods', { namespace: 'team' }), true);
    assert.equal(can(local, 'user:alice', 'get', 'pods', { namespace: 'other' }), false);
    assert.equal(can(local, 'user:alice', 'get', 'pods'), false, 'not across all namespaces');
  });

  it('a RoleBinding grants no cluster-scoped resource and no URL', () => {
    assert.equal(can(local, 'user:alice', 'get', 'nodes', { namespace: 'team', name: 'n1' }), false);
    assert.equal(can(local, 'user:alice', 'get', '/metrics'), false);
  });

  it("a RoleBinding grants its own namespace's Namespace object", () => {
    assert.equal(can(local, 'user:alice', 'get', 'namespaces', { name: 'team' }), true);
    assert.equal(can(local, 'user:alice', 'get', 'namespaces', { name: 'other' }), false);
  });

  it('a ClusterRoleBinding grants everywhere, cluster-scoped resources and URLs included', () => {
    const objects = [reader, bindAlice('reader')];
    assert.equal(can(objects, 'user:alice', 'get', 'pods', { namespace: 'any' }), true);
    assert.equal(can(objects, 'user:alice', 'get', 'pods'), true);
    assert.equal(can(objects, 'user:alice', 'get', 'nodes', { name: 'n1' }), true);
    assert.equal(can(objects, 'user:alice', 'get', '/metrics'), true);
  });

  it('a Role grants in its namespace; a ClusterRoleBinding cannot name a Role', () => {
    const objects = [
      role('team', 'r', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]),
      roleBinding('team', 'rb', { kind: 'Role', name: 'r' }, [user('alice')]),
      {
        ...clusterRoleBinding('bad', 'r', [user('bob')]),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
      },
    ];
    assert.equal(can(objects, 'user:alice', 'get', 'pods', { namespace: 'team' }), true);
    assert.equal(can(objects, 'user:bob', 'get', 'pods', { namespace: 'team' }), false);
  });

  it('a roleRef with another apiGroup grants nothing; a missing one is defaulted, as the API server does', () => {
    const binding = bindAlice('view');
    binding.roleRef = { apiGroup: 'example.com', kind: 'ClusterRole', name: 'view' };
    assert.equal(can([binding], 'user:alice', 'get', 'pods', { namespace: 'a' }), false);
    binding.roleRef = { kind: 'ClusterRole', name: 'view' };
    assert.equal(can([binding], 'user:alice', 'get', 'pods', { namespace: 'a' }), true);
  });

  it('a RoleBinding grants no cluster-scoped resource of any built-in group, written without its group', () => {
    const objects = [
      role('ns1', 'all', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
      roleBinding('ns1', 'all', { kind: 'Role', name: 'all' }, [user('alice')]),
    ];
    assert.equal(can(objects, 'user:alice', 'list', 'flowschemas', { namespace: 'ns1' }), false);
    assert.equal(
      can(objects, 'user:alice', 'create', 'selfsubjectaccessreviews', { namespace: 'ns1' }),
      false,
    );
    assert.equal(can(objects, 'user:alice', 'list', 'endpointslices', { namespace: 'ns1' }), true);
  });

  it('asked without a namespace, a RoleBinding does not allow it, and the decision says where it would', () => {
    const index = RbacIndex.of(Inventory.of(local));
    const decision = authorize(
      index,
      identityOfSubject(parseSubjectText('user:alice')),
      parseRequest('get', 'pods'),
    );
    assert.equal(decision.allowed, false);
    assert.deepEqual(
      decision.namespaceGrants.map((grant) => grant.namespace),
      ['team'],
    );
    // Not for a cluster-scoped resource, which no RoleBinding grants.
    const nodes = authorize(
      index,
      identityOfSubject(parseSubjectText('user:alice')),
      parseRequest('get', 'nodes'),
    );
    assert.deepEqual(nodes.namespaceGrants, []);
  });

  it('a binding to a role that does not exist grants nothing', () => {
    assert.equal(can([bindAlice('nowhere')], 'user:alice', 'get', 'pods', { namespace: 'a' }), false);
  });
});

describe('subjects and groups', () => {
  const podReader = clusterRole('pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
  const request = { namespace: 'apps' };

  it('a ServiceAccount subject without a namespace means the RoleBinding namespace', () => {
    const objects = [
      podReader,
      roleBinding('apps', 'rb', { kind: 'ClusterRole', name: 'pod-reader' }, [
        { kind: 'ServiceAccount', name: 'api' },
      ]),
    ];
    assert.equal(can(objects, 'sa:apps/api', 'get', 'pods', request), true);
    assert.equal(can(objects, 'sa:other/api', 'get', 'pods', { namespace: 'apps' }), false);
  });

  it('a ServiceAccount subject without a namespace in a ClusterRoleBinding matches nobody', () => {
    const objects = [
      podReader,
      clusterRoleBinding('crb', 'pod-reader', [{ kind: 'ServiceAccount', name: 'api' }]),
    ];
    assert.equal(can(objects, 'sa:default/api', 'get', 'pods', request), false);
  });

  it('ServiceAccounts are in system:serviceaccounts, system:serviceaccounts:<ns> and system:authenticated', () => {
    for (const name of ['system:serviceaccounts', 'system:serviceaccounts:apps', 'system:authenticated']) {
      const objects = [podReader, clusterRoleBinding('crb', 'pod-reader', [group(name)])];
      assert.equal(can(objects, 'sa:apps/api', 'get', 'pods', request), true, name);
    }
    const other = [
      podReader,
      clusterRoleBinding('crb', 'pod-reader', [group('system:serviceaccounts:other')]),
    ];
    assert.equal(can(other, 'sa:apps/api', 'get', 'pods', request), false);
  });

  it('users are in system:authenticated, anonymous is not', () => {
    const objects = [podReader, clusterRoleBinding('crb', 'pod-reader', [group('system:authenticated')])];
    assert.equal(can(objects, 'user:alice', 'get', 'pods', request), true);
    assert.equal(can(objects, 'system:anonymous', 'get', 'pods', request), false);
    const anonymous = [podReader, clusterRoleBinding('crb', 'pod-reader', [group('system:unauthenticated')])];
    assert.equal(can(anonymous, 'system:anonymous', 'get', 'pods', request), true);
    assert.equal(can(anonymous, 'user:alice', 'get', 'pods', request), false);
  });

  it('a User subject named like a ServiceAccount is that ServiceAccount', () => {
    const objects = [
      podReader,
      clusterRoleBinding('crb', 'pod-reader', [user('system:serviceaccount:apps:api')]),
    ];
    assert.equal(can(objects, 'sa:apps/api', 'get', 'pods', request), true);
  });

  it('user and group names are case-sensitive and distinct kinds', () => {
    const objects = [podReader, clusterRoleBinding('crb', 'pod-reader', [group('alice')])];
    assert.equal(can(objects, 'user:alice', 'get', 'pods', request), false);
    assert.equal(can(objects, 'group:alice', 'get', 'pods', request), true);
    assert.equal(can(objects, 'group:Alice', 'get', 'pods', request), false);
  });

  it('system:masters is allowed everything without any binding', () => {
    assert.equal(can([], 'group:system:masters', 'delete', 'nodes', { name: 'n1' }), true);
  });
});

describe('subjects the API server would refuse', () => {
  it('a User or Group of another apiGroup, or a ServiceAccount with one, is granted nothing', () => {
    const podReader = clusterRole('pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
    const bound = (subject: Record<string, unknown>) => [
      podReader,
      clusterRoleBinding('b', 'pod-reader', [subject as never]),
    ];
    const request = { namespace: 'x' };
    assert.equal(
      can(bound({ kind: 'User', apiGroup: 'v1', name: 'u' }), 'user:u', 'get', 'pods', request),
      false,
    );
    assert.equal(
      can(
        bound({
          kind: 'ServiceAccount',
          apiGroup: 'rbac.authorization.k8s.io',
          name: 'bot',
          namespace: 'ns1',
        }),
        'sa:ns1/bot',
        'get',
        'pods',
        request,
      ),
      false,
    );
    // The defaulted and the written group are both fine.
    assert.equal(can(bound({ kind: 'User', name: 'u' }), 'user:u', 'get', 'pods', request), true);
    assert.equal(
      can(
        bound({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'g' }),
        'group:g',
        'get',
        'pods',
        request,
      ),
      true,
    );
    assert.equal(
      can(
        bound({ kind: 'ServiceAccount', apiGroup: '', name: 'bot', namespace: 'ns1' }),
        'sa:ns1/bot',
        'get',
        'pods',
        request,
      ),
      true,
    );
  });
});

describe('default roles and aggregation', () => {
  it('knows the default roles: view reads pods but not Secrets, edit reads Secrets, admin edits RoleBindings', () => {
    const bind = (name: string) => roleBinding('apps', name, { kind: 'ClusterRole', name }, [user(name)]);
    const objects = ['view', 'edit', 'admin'].map(bind);
    assert.equal(can(objects, 'user:view', 'list', 'pods', { namespace: 'apps' }), true);
    assert.equal(can(objects, 'user:view', 'get', 'secrets', { namespace: 'apps' }), false);
    assert.equal(can(objects, 'user:edit', 'get', 'secrets', { namespace: 'apps' }), true);
    assert.equal(can(objects, 'user:edit', 'create', 'rolebindings', { namespace: 'apps' }), false);
    assert.equal(can(objects, 'user:admin', 'create', 'rolebindings', { namespace: 'apps' }), true);
    assert.equal(
      can(objects, 'user:admin', 'list', 'pods', { namespace: 'apps' }),
      true,
      'admin <- edit <- view',
    );
  });

  it('an aggregated role collects matching roles, transitively, and its own rules do not count', () => {
    const objects = [
      clusterRole('top', [], { aggregateLabels: [{ tier: 'top' }] }),
      clusterRole('middle', [], { aggregateLabels: [{ tier: 'middle' }], labels: { tier: 'top' } }),
      clusterRole('leaf', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }], {
        labels: { tier: 'middle' },
      }),
      {
        ...clusterRole('own', [], { aggregateLabels: [{ tier: 'none' }] }),
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
      },
      bindAlice('top'),
      clusterRoleBinding('bob', 'own', [user('bob')]),
    ];
    assert.equal(can(objects, 'user:alice', 'get', 'configmaps', { namespace: 'a' }), true);
    assert.equal(can(objects, 'user:bob', 'get', 'pods', { namespace: 'a' }), false);
  });

  it('aggregation cycles terminate and share their rules; an empty selector takes every ClusterRole', () => {
    const objects = [
      clusterRole('a', [], { aggregateLabels: [{ ring: 'b' }], labels: { ring: 'a' } }),
      clusterRole('b', [], { aggregateLabels: [{ ring: 'a' }], labels: { ring: 'b' } }),
      clusterRole('all', [], { aggregateLabels: [{}] }),
      clusterRoleBinding('a', 'a', [user('alice')]),
      clusterRoleBinding('all', 'all', [user('bob')]),
    ];
    assert.equal(can(objects, 'user:alice', 'get', 'pods', { namespace: 'x' }), false);
    assert.equal(
      can(objects, 'user:bob', 'delete', 'nodes', { name: 'n' }),
      true,
      'cluster-admin is among every role',
    );
  });

  it('an inventory role replaces the default of the same name as the API server lets it', () => {
    const redefined = clusterRole('view', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]);
    // Reconciled at start-up, view gets its aggregation back, and the aggregation controller writes its rules.
    const reconciled = [redefined, bindAlice('view')];
    assert.equal(can(reconciled, 'user:alice', 'get', 'secrets', { namespace: 'a' }), false);
    assert.equal(can(reconciled, 'user:alice', 'get', 'pods', { namespace: 'a' }), true);
    // Opted out of reconciliation, the role is what the inputs say.
    const kept = {
      ...redefined,
      metadata: {
        ...redefined.metadata,
        annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'false' },
      },
    };
    const asWritten = [kept, bindAlice('view')];
    assert.equal(can(asWritten, 'user:alice', 'get', 'secrets', { namespace: 'a' }), true);
    assert.equal(can(asWritten, 'user:alice', 'get', 'pods', { namespace: 'a' }), false);
  });
});

describe('authorize lists every grant', () => {
  it('names each binding and rule that allows the request', () => {
    const objects = [
      clusterRole('r1', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]),
      clusterRole('r2', [{ apiGroups: ['*'], resources: ['pods'], verbs: ['*'] }]),
      clusterRoleBinding('b1', 'r1', [group('devs')]),
      roleBinding('apps', 'b2', { kind: 'ClusterRole', name: 'r2' }, [serviceAccount('apps', 'api')]),
    ];
    const index = RbacIndex.of(Inventory.of(objects));
    const identity = identityOfSubject(parseSubjectText('sa:apps/api'), ['devs']);
    const request: AccessRequest = parseRequest('get', 'pods', { namespace: 'apps' });
    const decision = authorize(index, identity, request);
    assert.deepEqual(
      decision.grants.map((grant) => `${grant.binding.name}:${grant.role.name}:${grant.ruleIndex}`).sort(),
      ['b1:r1:0', 'b2:r2:0'],
    );
  });
});

describe('who-can', () => {
  const objects = [
    clusterRole('reader', [{ apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get'] }]),
    clusterRoleBinding('everyone', 'reader', [group('ops')]),
    roleBinding('a', 'local', { kind: 'ClusterRole', name: 'reader' }, [user('alice')]),
    roleBinding('b', 'local', { kind: 'ClusterRole', name: 'reader' }, [user('bob')]),
  ];
  const ask = (verb: string, resource: string, options = {}) =>
    whoCan(RbacIndex.of(Inventory.of(objects)), parseRequest(verb, resource, options)).entries.map(
      (entry) => `${entry.subject.name}@${entry.namespace || '*'}`,
    );

  it('in one namespace: ClusterRoleBindings and the RoleBindings of that namespace', () => {
    assert.deepEqual(ask('get', 'pods', { namespace: 'a' }).sort(), ['alice@a', 'ops@*']);
  });

  it('without a namespace: every RoleBinding, each with the namespace it grants in', () => {
    assert.deepEqual(ask('get', 'pods').sort(), ['alice@a', 'bob@b', 'ops@*']);
  });

  it('cluster-scoped resources: ClusterRoleBindings only, even when a namespace is given', () => {
    assert.deepEqual(ask('get', 'nodes'), ['ops@*']);
    assert.deepEqual(ask('get', 'nodes', { namespace: 'a' }), ['ops@*']);
  });

  it('nobody', () => {
    assert.deepEqual(ask('delete', 'pods', { namespace: 'a' }), []);
  });

  it('custom resources take their scope from their CustomResourceDefinition; newer built-ins from the table', () => {
    const crd = (plural: string, scope: string): KubeObject => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.example.com` },
      spec: { group: 'example.com', names: { plural, kind: plural }, scope },
    });
    const granted = [
      clusterRole('everything', [
        { apiGroups: ['example.com', 'resource.k8s.io'], resources: ['*'], verbs: ['get'] },
      ]),
      roleBinding('a', 'everything', { kind: 'ClusterRole', name: 'everything' }, [user('carol')]),
    ];
    const carol = (objects: KubeObject[], resource: string) =>
      can(objects, 'user:carol', 'get', resource, { namespace: 'a' });
    // A RoleBinding grants a namespaced custom resource in its namespace, never a cluster-scoped one.
    assert.equal(carol([...granted, crd('widgets', 'Namespaced')], 'widgets.example.com'), true);
    assert.equal(carol([...granted, crd('widgets', 'Cluster')], 'widgets.example.com'), false);
    // Without its CRD a custom resource counts as namespaced: the answer overstates rather than hides a power.
    assert.equal(carol(granted, 'widgets.example.com'), true);
    assert.equal(carol(granted, 'resourceslices.resource.k8s.io'), false);
    assert.equal(carol(granted, 'resourceclaims.resource.k8s.io'), true);
    const whoGets = whoCan(
      RbacIndex.of(Inventory.of([...granted, crd('widgets', 'Cluster')])),
      parseRequest('get', 'widgets.example.com'),
    ).entries;
    assert.deepEqual(whoGets, []);
  });

  it("the cluster's discovery decides a resource's scope before any CRD or the table", () => {
    const granted = [
      clusterRole('everything', [{ apiGroups: ['example.com'], resources: ['*'], verbs: ['get'] }]),
      roleBinding('a', 'everything', { kind: 'ClusterRole', name: 'everything' }, [user('carol')]),
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: { group: 'example.com', names: { plural: 'widgets', kind: 'Widget' }, scope: 'Namespaced' },
      },
    ];
    const carol = (clusterScoped: Map<string, boolean>, resource: string) =>
      authorize(
        RbacIndex.of(new Inventory(Inventory.of(granted).entries, { clusterScoped })),
        identityOfSubject(parseSubjectText('user:carol')),
        parseRequest('get', resource, { namespace: 'a' }),
      ).allowed;
    assert.equal(carol(new Map([['widgets.example.com', true]]), 'widgets.example.com'), false);
    assert.equal(carol(new Map([['gadgets.example.com', true]]), 'widgets.example.com'), true);
    assert.equal(carol(new Map([['gadgets.example.com', true]]), 'gadgets.example.com'), false);
  });

  it('bind of a ClusterRole is asked in the namespace of the RoleBinding being written, so a RoleBinding grants it', () => {
    const binders = [
      clusterRole('binder', [
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] },
      ]),
      roleBinding('a', 'binder', { kind: 'ClusterRole', name: 'binder' }, [user('carol')]),
    ];
    const request = { namespace: 'a', name: 'admin' };
    assert.equal(can(binders, 'user:carol', 'bind', 'clusterroles.rbac.authorization.k8s.io', request), true);
    assert.equal(
      can(binders, 'user:carol', 'bind', 'clusterroles.rbac.authorization.k8s.io', {
        ...request,
        namespace: 'b',
      }),
      false,
    );
    const entries = whoCan(
      RbacIndex.of(Inventory.of(binders)),
      parseRequest('bind', 'clusterroles.rbac.authorization.k8s.io', { name: 'admin' }),
    ).entries.map((entry) => `${entry.subject.name}@${entry.namespace || '*'}`);
    assert.deepEqual(entries, ['carol@a']);
  });

  it('leaves out a ServiceAccount subject without a namespace in a ClusterRoleBinding: it matches nobody', () => {
    const unbound = [
      clusterRoleBinding('nobody', 'cluster-admin', [{ kind: 'ServiceAccount', name: 'lost' }]),
    ];
    const entries = whoCan(RbacIndex.of(Inventory.of(unbound)), parseRequest('get', 'pods', {})).entries;
    assert.deepEqual(entries, []);
  });
});

describe('aggregation at scale and in cycles', () => {
  it('a chain of 3,000 aggregated roles resolves in one pass: the top holds the leaf rules', () => {
    const objects: KubeObject[] = [
      clusterRole('leaf', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }], {
        labels: { link: '0' },
      }),
    ];
    for (let i = 1; i <= 3000; i++)
      objects.push(
        clusterRole(`link-${i}`, [], {
          aggregateLabels: [{ link: String(i - 1) }],
          labels: { link: String(i) },
        }),
      );
    objects.push(bindAlice('link-3000'));
    assert.equal(can(objects, 'user:alice', 'get', 'configmaps', { namespace: 'a' }), true);
  });

  it('every member of a cycle gets what any member draws from outside it', () => {
    const objects = [
      clusterRole('a', [], { aggregateLabels: [{ ring: 'b' }], labels: { ring: 'a' } }),
      clusterRole('b', [], { aggregateLabels: [{ ring: 'c' }], labels: { ring: 'b' } }),
      clusterRole('c', [], { aggregateLabels: [{ ring: 'a' }, { extra: 'x' }], labels: { ring: 'c' } }),
      clusterRole('x', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }], {
        labels: { extra: 'x' },
      }),
      clusterRoleBinding('a', 'a', [user('alice')]),
    ];
    assert.equal(can(objects, 'user:alice', 'list', 'secrets', { namespace: 'n' }), true);
    const index = RbacIndex.of(Inventory.of(objects));
    assert.deepEqual(index.clusterRoles.get('b')?.ruleOrigins, ['x']);
  });

  it("a cycle keeps its members' own rules: the controller passes them round before overwriting any", () => {
    // As a live cluster shows it: `a` holds rules (from an earlier aggregation or as written) when the cycle forms.
    const a = clusterRole('a', [], { aggregateLabels: [{ ring: 'b' }], labels: { ring: 'a' } });
    a.rules = [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }];
    const objects = [
      a,
      clusterRole('b', [], { aggregateLabels: [{ ring: 'a' }], labels: { ring: 'b' } }),
      clusterRoleBinding('b', 'b', [user('bob')]),
    ];
    assert.equal(can(objects, 'user:bob', 'get', 'secrets', { namespace: 'n' }), true);
    const index = RbacIndex.of(Inventory.of(objects));
    assert.deepEqual(index.clusterRoles.get('b')?.ruleOrigins, ['a']);
  });
});

// Escalation paths: each kind of move on its own, chains of moves, and what blocks them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inventory } from '../core/inventory.ts';
import type { KubeObject } from '../core/kube-object.ts';
import { deployment, object } from '../rules/example-objects.ts';
import {
  clusterRole,
  clusterRoleBinding,
  group,
  role,
  roleBinding,
  serviceAccount,
  user,
} from '../rules/rbac/rbac-examples.ts';
import { type EscalationPath, findEscalationPaths } from './escalation-paths.ts';
import { formatSubject, parseSubjectText } from './subject.ts';

const app = (namespace: string, account: string, extra: Record<string, unknown> = {}) =>
  deployment(
    account,
    { serviceAccountName: account, containers: [{ name: 'c', image: 'x:1' }], ...extra },
    { namespace },
  );
const admin = (namespace: string, account: string) =>
  clusterRoleBinding(`${account}-admin`, 'cluster-admin', [serviceAccount(namespace, account)]);
const grant = (namespace: string, account: string, rules: Parameters<typeof role>[2]) => [
  role(namespace, `${account}-role`, rules),
  roleBinding(namespace, `${account}-binding`, { kind: 'Role', name: `${account}-role` }, [
    serviceAccount(namespace, account),
  ]),
];
const clusterGrant = (namespace: string, account: string, rules: Parameters<typeof role>[2]) => [
  clusterRole(`${account}-role`, rules),
  clusterRoleBinding(`${account}-binding`, `${account}-role`, [serviceAccount(namespace, account)]),
];

function paths(objects: KubeObject[], from?: string[]): EscalationPath[] {
  const inventory = Inventory.of(objects);
  return findEscalationPaths(inventory, from ? { from: from.map(parseSubjectText) } : {});
}

/** Each step as `subject -> becomes` (or `-> cluster-admin`). */
function chain(path: EscalationPath | undefined): string[] {
  assert.ok(path, 'expected a path');
  return path.steps.map(
    (step) =>
      `${formatSubject(step.subject)} -> ${step.becomes ? formatSubject(step.becomes) : 'cluster-admin'}`,
  );
}

describe('escalation paths', () => {
  it('pod creation in a namespace that holds a cluster-admin ServiceAccount: two steps, with bindings named', () => {
    const found = paths([
      app('web', 'frontend'),
      roleBinding('ops', 'deployer', { kind: 'ClusterRole', name: 'edit' }, [
        serviceAccount('web', 'frontend'),
      ]),
      object('v1', 'ServiceAccount', 'installer', {}, { namespace: 'ops' }),
      admin('ops', 'installer'),
    ]);
    assert.equal(found.length, 1);
    assert.deepEqual(chain(found[0]), [
      'ServiceAccount web/frontend -> ServiceAccount ops/installer',
      'ServiceAccount ops/installer -> cluster-admin',
    ]);
    assert.deepEqual(found[0]?.workloads, ['Deployment web/frontend']);
    const [first, second] = found[0]?.steps ?? [];
    assert.match(
      first?.action ?? '',
      /^can create pods, replicationcontrollers, deployments, .* in namespace ops and run their pods as any ServiceAccount there/,
    );
    assert.ok(
      first?.grantedBy.some((text) => text.startsWith('RoleBinding ops/deployer -> ClusterRole edit')),
    );
    assert.deepEqual(second?.grantedBy, [
      'ClusterRoleBinding installer-admin -> ClusterRole cluster-admin (rules[0])',
    ]);
  });

  it('a workload bound to cluster-admin is a one-step path; one without a mounted token is no start', () => {
    const mounted = paths([app('ops', 'boss'), admin('ops', 'boss')]);
    assert.deepEqual(chain(mounted[0]), ['ServiceAccount ops/boss -> cluster-admin']);
    const unmounted = paths([
      app('ops', 'boss', { automountServiceAccountToken: false }),
      admin('ops', 'boss'),
    ]);
    assert.deepEqual(unmounted, []);
  });

  it("patching pods reaches the running pods' ServiceAccounts: a pod's images may change after creation", () => {
    const patch = [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'patch'] }];
    const found = paths(
      [
        app('dev', 'debugger'),
        role('ops', 'reimage', patch),
        roleBinding('ops', 'reimage', { kind: 'Role', name: 'reimage' }, [serviceAccount('dev', 'debugger')]),
        admin('ops', 'boss'),
        app('ops', 'boss'),
      ],
      ['sa:dev/debugger'],
    );
    assert.deepEqual(chain(found[0]), [
      'ServiceAccount dev/debugger -> ServiceAccount ops/boss',
      'ServiceAccount ops/boss -> cluster-admin',
    ]);
    assert.match(
      found[0]?.steps[0]?.action ?? '',
      /replace the container images of running pods in namespace ops/,
    );
    const statusOnly = paths(
      [
        app('dev', 'debugger'),
        role('ops', 'status', [{ apiGroups: [''], resources: ['pods/status'], verbs: ['patch'] }]),
        roleBinding('ops', 'status', { kind: 'Role', name: 'status' }, [serviceAccount('dev', 'debugger')]),
        admin('ops', 'boss'),
        app('ops', 'boss'),
      ],
      ['sa:dev/debugger'],
    );
    assert.deepEqual(statusOnly, [], 'pods/status changes no image');
  });

  it('exec reaches only running pods whose tokens are mounted', () => {
    const exec = [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }];
    const base = [
      app('dev', 'debugger'),
      role('ops', 'exec', exec),
      roleBinding('ops', 'exec', { kind: 'Role', name: 'exec' }, [serviceAccount('dev', 'debugger')]),
      admin('ops', 'boss'),
    ];
    const running = paths([...base, app('ops', 'boss')], ['sa:dev/debugger']);
    assert.deepEqual(chain(running[0]), [
      'ServiceAccount dev/debugger -> ServiceAccount ops/boss',
      'ServiceAccount ops/boss -> cluster-admin',
    ]);
    assert.equal(running[0]?.steps[0]?.via, 'Deployment ops/boss');
    const idle = paths(
      [...base, app('ops', 'boss', { automountServiceAccountToken: false })],
      ['sa:dev/debugger'],
    );
    assert.deepEqual(idle, [], 'no running pod carries the token');
  });

  it('reading Secrets reaches ServiceAccounts that have legacy token Secrets', () => {
    const token = object(
      'v1',
      'Secret',
      'boss-token',
      {
        type: 'kubernetes.io/service-account-token',
      },
      { namespace: 'ops' },
    );
    token.metadata.annotations = { 'kubernetes.io/service-account.name': 'boss' };
    const found = paths([
      app('dev', 'reader'),
      ...clusterGrant('dev', 'reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]),
      token,
      admin('ops', 'boss'),
    ]);
    assert.deepEqual(chain(found[0]), [
      'ServiceAccount dev/reader -> ServiceAccount ops/boss',
      'ServiceAccount ops/boss -> cluster-admin',
    ]);
    assert.equal(found[0]?.steps[0]?.via, 'Secret ops/boss-token');
  });

  for (const [name, rules] of [
    [
      'impersonating groups with a user',
      [{ apiGroups: [''], resources: ['groups', 'users'], verbs: ['impersonate'] }],
    ],
    [
      'escalate and update on the ClusterRole it is bound to, by name',
      [
        {
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['clusterroles'],
          resourceNames: ['x-role'],
          verbs: ['get', 'update', 'escalate'],
        },
      ],
    ],
    [
      'escalate with update on ClusterRoles',
      [
        {
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['clusterroles'],
          verbs: ['escalate', 'update'],
        },
      ],
    ],
    [
      'bind on ClusterRoles with ClusterRoleBinding creation',
      [
        {
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['clusterroles'],
          verbs: ['bind'],
          resourceNames: ['cluster-admin'],
        },
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings'], verbs: ['create'] },
      ],
    ],
    [
      'requesting and approving a client certificate',
      [
        { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['create'] },
        {
          apiGroups: ['certificates.k8s.io'],
          resources: ['certificatesigningrequests/approval'],
          verbs: ['update'],
        },
        {
          apiGroups: ['certificates.k8s.io'],
          resources: ['signers'],
          verbs: ['approve'],
          resourceNames: ['kubernetes.io/kube-apiserver-client'],
        },
      ],
    ],
  ] as const)
    it(`${name} is cluster-admin in one step`, () => {
      const found = paths([app('dev', 'x'), ...clusterGrant('dev', 'x', rules as never)]);
      assert.deepEqual(chain(found[0]), ['ServiceAccount dev/x -> cluster-admin']);
    });

  it('half of a combination is not enough', () => {
    for (const rules of [
      [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] }],
      [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] }],
      [{ apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'] }],
      [{ apiGroups: [''], resources: ['groups'], verbs: ['impersonate'], resourceNames: ['developers'] }],
      // Groups are impersonated only together with a user.
      [{ apiGroups: [''], resources: ['groups'], verbs: ['impersonate'] }],
      // Escalate and update on some other ClusterRole, by name.
      [
        {
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['clusterroles'],
          resourceNames: ['other'],
          verbs: ['update', 'escalate'],
        },
      ],
    ])
      assert.deepEqual(
        paths([app('dev', 'x'), ...clusterGrant('dev', 'x', rules)]),
        [],
        JSON.stringify(rules),
      );
  });

  it('impersonating a named user who is cluster-admin', () => {
    const found = paths([
      app('dev', 'x'),
      ...clusterGrant('dev', 'x', [
        { apiGroups: [''], resources: ['users'], verbs: ['impersonate'], resourceNames: ['root'] },
      ]),
      clusterRoleBinding('root', 'cluster-admin', [user('root')]),
    ]);
    assert.deepEqual(chain(found[0]), ['ServiceAccount dev/x -> User root', 'User root -> cluster-admin']);
  });

  it('a ServiceAccount user name is impersonated as serviceaccounts: a users grant of that name gives nothing', () => {
    const objects = [
      app('dev', 'x'),
      object('v1', 'ServiceAccount', 'boss', {}, { namespace: 'kube-system' }),
      admin('kube-system', 'boss'),
    ];
    const asUser = paths([
      ...objects,
      ...clusterGrant('dev', 'x', [
        {
          apiGroups: [''],
          resources: ['users'],
          verbs: ['impersonate'],
          resourceNames: ['system:serviceaccount:kube-system:boss'],
        },
      ]),
    ]);
    assert.deepEqual(asUser, []);
    const asAccount = paths([
      ...objects,
      ...clusterGrant('dev', 'x', [
        { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'], resourceNames: ['boss'] },
      ]),
    ]);
    assert.deepEqual(chain(asAccount[0]), [
      'ServiceAccount dev/x -> ServiceAccount kube-system/boss',
      'ServiceAccount kube-system/boss -> cluster-admin',
    ]);
  });

  it('resourceNames [""] on pods still allow creating pods: a path through pod creation', () => {
    const found = paths([
      app('app', 'web'),
      ...grant('app', 'web', [
        { apiGroups: [''], resources: ['pods'], resourceNames: [''], verbs: ['create'] },
      ]),
      object('v1', 'ServiceAccount', 'ops', {}, { namespace: 'app' }),
      admin('app', 'ops'),
    ]);
    assert.deepEqual(chain(found[0]), [
      'ServiceAccount app/web -> ServiceAccount app/ops',
      'ServiceAccount app/ops -> cluster-admin',
    ]);
  });

  it('node takeover from pod creation is blocked where Pod Security enforces baseline', () => {
    const daemon = object(
      'apps/v1',
      'DaemonSet',
      'agent',
      {
        spec: {
          template: { spec: { serviceAccountName: 'agent', containers: [{ name: 'a', image: 'x' }] } },
        },
      },
      { namespace: 'infra' },
    );
    const objects = [
      app('dev', 'x'),
      ...grant('dev', 'x', [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }]),
      daemon,
      admin('infra', 'agent'),
    ];
    const open = paths(objects, ['sa:dev/x']);
    assert.deepEqual(chain(open[0]), [
      'ServiceAccount dev/x -> ServiceAccount infra/agent',
      'ServiceAccount infra/agent -> cluster-admin',
    ]);
    assert.match(open[0]?.steps[0]?.action ?? '', /privileged pod/);
    const namespace = object('v1', 'Namespace', 'dev', {});
    namespace.metadata.labels = { 'pod-security.kubernetes.io/enforce': 'baseline' };
    assert.deepEqual(paths([...objects, namespace], ['sa:dev/x']), []);
  });

  it('--from subjects: groups and users start paths too; cycles end', () => {
    const found = paths(
      [
        ...clusterGrant('a', 'a', [
          { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
        ]),
        clusterRoleBinding('devs', 'a-role', [group('devs')]),
        admin('z', 'root'),
        object('v1', 'ServiceAccount', 'root', {}, { namespace: 'z' }),
      ],
      ['group:devs', 'user:nobody'],
    );
    assert.equal(found.length, 1);
    assert.deepEqual(chain(found[0]), [
      'Group devs -> ServiceAccount z/root',
      'ServiceAccount z/root -> cluster-admin',
    ]);
  });

  it('a benign cluster has no path', () => {
    const found = paths([
      app('web', 'frontend'),
      roleBinding('web', 'view', { kind: 'ClusterRole', name: 'view' }, [serviceAccount('web', 'frontend')]),
      clusterRoleBinding('masters', 'cluster-admin', [group('system:masters')]),
    ]);
    assert.deepEqual(found, []);
  });
});

describe('escalation paths: namespace escalation', () => {
  const rules = [
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate', 'update'] },
  ];
  const target = [
    app('dev', 'x'),
    object('v1', 'ServiceAccount', 'boss', {}, { namespace: 'dev' }),
    admin('dev', 'boss'),
  ];

  it('escalate and update on Roles pays for a subject bound to a Role of the namespace', () => {
    const found = paths([...target, ...grant('dev', 'x', rules)], ['sa:dev/x']);
    assert.deepEqual(chain(found[0]), [
      'ServiceAccount dev/x -> ServiceAccount dev/boss',
      'ServiceAccount dev/boss -> cluster-admin',
    ]);
    assert.match(found[0]?.steps[0]?.action ?? '', /escalate and edit roles/);
  });

  it('but not for one bound only to a ClusterRole, which a RoleBinding cannot let it edit', () => {
    const viaClusterRole = [
      clusterRole('role-editor', rules),
      roleBinding('dev', 'x', { kind: 'ClusterRole', name: 'role-editor' }, [serviceAccount('dev', 'x')]),
    ];
    assert.deepEqual(paths([...target, ...viaClusterRole], ['sa:dev/x']), []);
  });

  it('also when the bound Role itself grants nothing risky: escalate lets it rewrite that Role', () => {
    const viaClusterRole = [
      clusterRole('role-editor', rules),
      roleBinding('dev', 'x', { kind: 'ClusterRole', name: 'role-editor' }, [serviceAccount('dev', 'x')]),
    ];
    const harmless = grant('dev', 'x', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]);
    const found = paths([...target, ...viaClusterRole, ...harmless], ['sa:dev/x']);
    assert.deepEqual(chain(found[0]), [
      'ServiceAccount dev/x -> ServiceAccount dev/boss',
      'ServiceAccount dev/boss -> cluster-admin',
    ]);
  });

  it('cluster-wide escalate and update on Roles pay where the subject is bound to any Role, however harmless', () => {
    const harmless = grant('dev', 'x', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]);
    const found = paths([...target, ...harmless, ...clusterGrant('dev', 'x', rules)], ['sa:dev/x']);
    assert.deepEqual(chain(found[0]), [
      'ServiceAccount dev/x -> ServiceAccount dev/boss',
      'ServiceAccount dev/boss -> cluster-admin',
    ]);
  });

  it('updating a Job is no path (its template is immutable); updating a CronJob is', () => {
    const updateOn = (resource: string) => [
      { apiGroups: ['batch'], resources: [resource], verbs: ['get', 'update', 'patch'] },
    ];
    assert.deepEqual(paths([...target, ...grant('dev', 'x', updateOn('jobs'))], ['sa:dev/x']), []);
    const found = paths([...target, ...grant('dev', 'x', updateOn('cronjobs'))], ['sa:dev/x']);
    assert.match(found[0]?.steps[0]?.action ?? '', /can change the pod template of cronjobs/);
  });

  it('also when the bound Role has no rules at all: it is still there to rewrite', () => {
    const viaClusterRole = [
      clusterRole('role-editor', rules),
      roleBinding('dev', 'x', { kind: 'ClusterRole', name: 'role-editor' }, [serviceAccount('dev', 'x')]),
    ];
    const empty = grant('dev', 'x', []);
    const found = paths([...target, ...viaClusterRole, ...empty], ['sa:dev/x']);
    assert.deepEqual(chain(found[0]), [
      'ServiceAccount dev/x -> ServiceAccount dev/boss',
      'ServiceAccount dev/boss -> cluster-admin',
    ]);
  });

  it('bind on ClusterRoles with RoleBinding creation gives the namespace', () => {
    const bindRules = [
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['create'] },
    ];
    const found = paths([...target, ...grant('dev', 'x', bindRules)], ['sa:dev/x']);
    assert.match(found[0]?.steps[0]?.action ?? '', /bind any role with a RoleBinding/);
  });
});

describe('escalation paths: bind on named roles', () => {
  const rbac = 'rbac.authorization.k8s.io';
  const bindRules = (names: string[], resource = 'clusterroles', bindings = 'rolebindings') => [
    { apiGroups: [rbac], resources: [bindings], verbs: ['create'] },
    { apiGroups: [rbac], resources: [resource], verbs: ['bind'], resourceNames: names },
  ];
  const deployer = [
    object('v1', 'ServiceAccount', 'deployer', {}, { namespace: 'apps' }),
    admin('apps', 'deployer'),
  ];

  it('binding ClusterRole admin with a RoleBinding gives pod creation in the namespace', () => {
    const found = paths([app('apps', 'ci'), ...grant('apps', 'ci', bindRules(['admin'])), ...deployer]);
    assert.equal(found.length, 1);
    assert.deepEqual(chain(found[0]), [
      'ServiceAccount apps/ci -> ServiceAccount apps/deployer',
      'ServiceAccount apps/deployer -> cluster-admin',
    ]);
    assert.match(
      found[0]?.steps[0]?.action ?? '',
      /^can bind ClusterRole admin to itself with a RoleBinding in namespace apps \(bind\), then create pods/,
    );
    assert.deepEqual(found[0]?.steps[0]?.grantedBy, [
      'RoleBinding apps/ci-binding -> Role apps/ci-role (rules[0], rules[1])',
    ]);
  });

  it('binding a harmless or unknown ClusterRole gives nothing', () => {
    for (const names of [['view'], ['no-such-role']])
      assert.deepEqual(
        paths([app('apps', 'ci'), ...grant('apps', 'ci', bindRules(names)), ...deployer]),
        [],
        names.join(),
      );
  });

  it('a RoleBinding grants only in its own namespace', () => {
    const elsewhere = [
      object('v1', 'ServiceAccount', 'boss', {}, { namespace: 'ops' }),
      admin('ops', 'boss'),
    ];
    assert.deepEqual(
      paths([app('apps', 'ci'), ...grant('apps', 'ci', bindRules(['admin'])), ...elsewhere]),
      [],
    );
  });

  it('binding a named Role of the namespace gives its rules', () => {
    const podMaker = role('apps', 'pod-maker', [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }]);
    const found = paths([
      app('apps', 'ci'),
      ...grant('apps', 'ci', bindRules(['pod-maker'], 'roles')),
      podMaker,
      ...deployer,
    ]);
    assert.deepEqual(chain(found[0]), [
      'ServiceAccount apps/ci -> ServiceAccount apps/deployer',
      'ServiceAccount apps/deployer -> cluster-admin',
    ]);
    assert.match(found[0]?.steps[0]?.action ?? '', /^can bind Role apps\/pod-maker to itself/);
    // A Role of the same name in another namespace is not one the RoleBinding can refer to.
    const other = role('ops', 'pod-maker', [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }]);
    assert.deepEqual(
      paths([
        app('apps', 'ci'),
        ...grant('apps', 'ci', bindRules(['pod-maker'], 'roles')),
        other,
        ...deployer,
      ]),
      [],
    );
  });

  it('binding ClusterRole admin with a ClusterRoleBinding gives pod creation in every namespace', () => {
    const elsewhere = [
      object('v1', 'ServiceAccount', 'boss', {}, { namespace: 'ops' }),
      admin('ops', 'boss'),
    ];
    const found = paths([
      app('apps', 'ci'),
      ...clusterGrant('apps', 'ci', bindRules(['admin'], 'clusterroles', 'clusterrolebindings')),
      ...elsewhere,
    ]);
    assert.deepEqual(chain(found[0]), [
      'ServiceAccount apps/ci -> ServiceAccount ops/boss',
      'ServiceAccount ops/boss -> cluster-admin',
    ]);
    assert.match(
      found[0]?.steps[0]?.action ?? '',
      /^can bind ClusterRole admin to itself with a ClusterRoleBinding/,
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../core/kube-object.ts';
import type { Rule } from '../../core/rule.ts';
import { cronJob, deployment, object, pod } from '../example-objects.ts';
import { findRule } from '../index.ts';
import { workloadRules } from './index.ts';
import { assertExamples, assertRobust, contextOf, findingsOf } from './rule-test-support.ts';

function rule(id: string): Rule {
  const found = findRule(id);
  assert.ok(found, id);
  return found;
}

describe('workload rules: examples and robustness', () => {
  for (const r of workloadRules)
    it(r.id, () => {
      assertExamples(r);
      assertRobust(r);
    });
});

const LIMIT_RANGE = (namespace: string, item: Record<string, unknown>): KubeObject =>
  object(
    'v1',
    'LimitRange',
    'defaults',
    { spec: { limits: [{ type: 'Container', ...item }] } },
    { namespace },
  );
const WITH_RESOURCES = (resources: Record<string, unknown>) =>
  deployment('app', { containers: [{ name: 'app', image: 'web:1.0', resources }] }, { namespace: 'shop' });
const BARE = (namespace?: string) =>
  deployment(
    'app',
    { containers: [{ name: 'app', image: 'web:1.0' }] },
    namespace === undefined ? {} : { namespace },
  );

interface Case {
  rule: string;
  name: string;
  target: KubeObject;
  others?: KubeObject[];
  /** Expected finding paths (formatted); empty for none. */
  paths: string[];
  /** Expected finding messages, when the case is about the wording. */
  messages?: string[];
}

const CASES: Case[] = [
  // Resources
  // A zero is no bound: the kubelet sets no limit for 0, and a 0 request leaves the pod BestEffort.
  {
    rule: 'missing-memory-limit',
    name: 'a limit of 0 is no limit',
    target: WITH_RESOURCES({ limits: { cpu: '0', memory: '0Mi' } }),
    paths: ['spec.template.spec.containers[0].resources.limits.memory'],
  },
  {
    rule: 'missing-cpu-limit',
    name: 'a CPU limit of 0 (a number) is no limit',
    target: WITH_RESOURCES({ limits: { cpu: 0, memory: '1Gi' } }),
    paths: ['spec.template.spec.containers[0].resources.limits.cpu'],
  },
  {
    rule: 'missing-resource-requests',
    name: 'a request written as 0 is not replaced by the limit',
    target: WITH_RESOURCES({ requests: { cpu: '0', memory: '0.0' }, limits: { cpu: '500m', memory: '1Gi' } }),
    paths: [
      'spec.template.spec.containers[0].resources.requests.cpu',
      'spec.template.spec.containers[0].resources.requests.memory',
    ],
  },
  {
    rule: 'missing-memory-limit',
    name: 'a LimitRange default does not replace a limit written as 0',
    target: WITH_RESOURCES({ limits: { cpu: '1', memory: '0' } }),
    others: [LIMIT_RANGE('shop', { default: { cpu: '1', memory: '1Gi' } })],
    paths: ['spec.template.spec.containers[0].resources.limits.memory'],
  },
  {
    rule: 'missing-resource-requests',
    name: 'limits alone stand for the requests',
    target: WITH_RESOURCES({ limits: { cpu: '500m', memory: '1Gi' } }),
    paths: [],
  },
  {
    rule: 'missing-resource-requests',
    name: 'LimitRange defaultRequest in the namespace',
    target: BARE('shop'),
    others: [LIMIT_RANGE('shop', { defaultRequest: { cpu: '1', memory: '1Gi' } })],
    paths: [],
  },
  {
    rule: 'missing-resource-requests',
    name: 'LimitRange default limit also defaults the request',
    target: BARE('shop'),
    others: [LIMIT_RANGE('shop', { default: { cpu: '1', memory: '1Gi' } })],
    paths: [],
  },
  {
    rule: 'missing-resource-requests',
    name: 'LimitRange min defaults the request',
    target: BARE('shop'),
    others: [LIMIT_RANGE('shop', { min: { memory: '1Gi' } })],
    paths: ['spec.template.spec.containers[0].resources.requests.cpu'],
  },
  {
    rule: 'missing-resource-requests',
    name: 'LimitRange in another namespace',
    target: BARE('shop'),
    others: [LIMIT_RANGE('other', { defaultRequest: { cpu: '1', memory: '1Gi' } })],
    paths: [
      'spec.template.spec.containers[0].resources.requests.cpu',
      'spec.template.spec.containers[0].resources.requests.memory',
    ],
  },
  {
    rule: 'missing-resource-requests',
    name: 'LimitRange of type Pod supplies nothing',
    target: BARE('shop'),
    others: [
      object(
        'v1',
        'LimitRange',
        'pod',
        { spec: { limits: [{ type: 'Pod', max: { cpu: '1', memory: '1Gi' } }] } },
        { namespace: 'shop' },
      ),
    ],
    paths: [
      'spec.template.spec.containers[0].resources.requests.cpu',
      'spec.template.spec.containers[0].resources.requests.memory',
    ],
  },
  {
    rule: 'missing-memory-limit',
    name: 'LimitRange max becomes the default limit',
    target: BARE('shop'),
    others: [LIMIT_RANGE('shop', { max: { memory: '2Gi' } })],
    paths: [],
  },
  {
    rule: 'missing-memory-limit',
    name: 'LimitRange defaultRequest is not a limit',
    target: BARE('shop'),
    others: [LIMIT_RANGE('shop', { defaultRequest: { memory: '2Gi' } })],
    paths: ['spec.template.spec.containers[0].resources.limits.memory'],
  },
  {
    rule: 'missing-memory-limit',
    name: 'namespace-less objects match namespace-less LimitRanges',
    target: BARE(),
    others: [
      object('v1', 'LimitRange', 'd', {
        spec: { limits: [{ type: 'Container', default: { memory: '1Gi' } }] },
      }),
    ],
    paths: [],
  },
  {
    rule: 'missing-cpu-limit',
    name: 'ephemeral containers are not checked',
    target: pod('p', {
      containers: [{ name: 'a', image: 'x:1', resources: { limits: { cpu: '1' } } }],
      ephemeralContainers: [{ name: 'dbg', image: 'busybox:1' }],
    }),
    paths: [],
  },
  // Security context: pod-level values are inherited, never double-reported.
  {
    rule: 'missing-run-as-group',
    name: 'pod-level runAsGroup covers every container type',
    target: pod('p', {
      securityContext: { runAsGroup: 1000 },
      containers: [{ name: 'a', image: 'x:1' }],
      initContainers: [{ name: 'i', image: 'x:1' }],
      ephemeralContainers: [{ name: 'e', image: 'x:1' }],
    }),
    paths: [],
  },
  {
    rule: 'missing-run-as-group',
    name: 'each container type reported',
    target: pod('p', {
      containers: [{ name: 'a', image: 'x:1' }],
      initContainers: [{ name: 'i', image: 'x:1' }],
      ephemeralContainers: [{ name: 'e', image: 'x:1' }],
    }),
    paths: [
      'spec.containers[0].securityContext.runAsGroup',
      'spec.initContainers[0].securityContext.runAsGroup',
      'spec.ephemeralContainers[0].securityContext.runAsGroup',
    ],
  },
  {
    rule: 'root-group',
    name: 'inherited root group reported at the pod field',
    target: pod('p', { securityContext: { runAsGroup: 0 }, containers: [{ name: 'a', image: 'x:1' }] }),
    paths: ['spec.securityContext.runAsGroup'],
  },
  {
    rule: 'writable-root-filesystem',
    name: 'CronJob path',
    target: cronJob('c', { containers: [{ name: 'a', image: 'x:1' }] }),
    paths: ['spec.jobTemplate.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem'],
  },
  {
    rule: 'writable-root-filesystem',
    name: 'pod-level field does not exist for this one',
    target: pod('p', {
      securityContext: { readOnlyRootFilesystem: true },
      containers: [{ name: 'a', image: 'x:1' }],
    }),
    paths: ['spec.containers[0].securityContext.readOnlyRootFilesystem'],
  },
  {
    rule: 'missing-fs-group',
    name: 'an emptyDir alone is created world-writable: no fsGroup needed',
    target: pod('p', { volumes: [{ name: 'tmp', emptyDir: {} }], containers: [{ name: 'a', image: 'x:1' }] }),
    paths: [],
  },
  {
    rule: 'missing-fs-group',
    name: 'a PersistentVolumeClaim beside an emptyDir is named alone',
    target: pod('p', {
      volumes: [
        { name: 'tmp', emptyDir: { medium: 'Memory' } },
        { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
      ],
      containers: [{ name: 'a', image: 'x:1' }],
    }),
    paths: ['spec.securityContext.fsGroup'],
    messages: ['pod securityContext.fsGroup is not set, so volume "data" keeps the storage\'s ownership'],
  },
  {
    rule: 'missing-fs-group',
    name: 'a generic ephemeral volume in Block mode is a raw device, not chowned',
    target: pod('p', {
      volumes: [
        {
          name: 'raw',
          ephemeral: {
            volumeClaimTemplate: { spec: { volumeMode: 'Block', accessModes: ['ReadWriteOnce'] } },
          },
        },
      ],
      containers: [{ name: 'a', image: 'x:1', volumeDevices: [{ name: 'raw', devicePath: '/dev/xvda' }] }],
    }),
    paths: [],
  },
  // Images
  {
    rule: 'image-latest-tag',
    name: 'registry port without tag',
    target: pod('p', { containers: [{ name: 'a', image: 'registry.local:5000/team/app' }] }),
    paths: ['spec.containers[0].image'],
  },
  {
    rule: 'image-latest-tag',
    name: 'templated image skipped',
    target: pod('p', {
      containers: [
        { name: 'a', image: '{{ .Values.image }}' },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder as users write it, not a template
        { name: 'b', image: '${IMAGE}' },
      ],
    }),
    paths: [],
  },
  {
    rule: 'image-latest-tag',
    name: 'missing image skipped',
    target: pod('p', { containers: [{ name: 'a' }] }),
    paths: [],
  },
  {
    rule: 'image-not-pinned-by-digest',
    name: 'digest-only reference',
    target: pod('p', { containers: [{ name: 'a', image: `ghcr.io/org/app@sha256:${'a'.repeat(64)}` }] }),
    paths: [],
  },
  {
    rule: 'image-not-pinned-by-digest',
    name: 'malformed digest pins nothing (the kubelet refuses it)',
    target: pod('p', {
      containers: [
        { name: 'a', image: 'nginx:1.0@sha256:abc' },
        { name: 'b', image: `nginx@sha256:${'A'.repeat(64)}` },
        { name: 'c', image: '{{ .Values.image }}' },
      ],
    }),
    paths: ['spec.containers[0].image', 'spec.containers[1].image'],
  },
  // Probes
  {
    rule: 'missing-liveness-probe',
    name: 'bare Pod not checked',
    target: pod('p', { containers: [{ name: 'a', image: 'x:1' }] }),
    paths: [],
  },
  {
    rule: 'missing-liveness-probe',
    name: 'StatefulSet checked',
    target: object('apps/v1', 'StatefulSet', 's', {
      spec: { template: { spec: { containers: [{ name: 'a', image: 'x:1' }] } } },
    }),
    paths: ['spec.template.spec.containers[0].livenessProbe'],
  },
  {
    rule: 'missing-readiness-probe',
    name: 'portless single container selected by a Service',
    target: deployment('web', { containers: [{ name: 'a', image: 'x:1' }] }),
    others: [
      object('v1', 'Service', 'web-svc', { spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }),
    ],
    paths: ['spec.template.spec.containers[0].readinessProbe'],
  },
  {
    rule: 'missing-readiness-probe',
    name: 'an ExternalName Service sends no traffic to the pods its selector names',
    target: deployment('web', { containers: [{ name: 'a', image: 'x:1' }] }),
    others: [
      object('v1', 'Service', 'web-svc', {
        spec: { type: 'ExternalName', externalName: 'db.example.com', selector: { app: 'web' } },
      }),
    ],
    paths: [],
  },
  {
    rule: 'missing-readiness-probe',
    name: 'a Service without a namespace lands in default and selects the workloads there',
    target: deployment('web', { containers: [{ name: 'a', image: 'x:1' }] }, { namespace: 'default' }),
    others: [object('v1', 'Service', 'web-svc', { spec: { selector: { app: 'web' } } })],
    paths: ['spec.template.spec.containers[0].readinessProbe'],
  },
  {
    rule: 'missing-readiness-probe',
    name: 'Service in another namespace does not select',
    target: deployment('web', { containers: [{ name: 'a', image: 'x:1' }] }, { namespace: 'a' }),
    others: [object('v1', 'Service', 'web-svc', { spec: { selector: { app: 'web' } } }, { namespace: 'b' })],
    paths: [],
  },
  // Ports
  {
    rule: 'container-privileged-port',
    name: 'string port',
    target: pod('p', { containers: [{ name: 'a', image: 'x:1', ports: [{ containerPort: '443' }] }] }),
    paths: ['spec.containers[0].ports[0].containerPort'],
  },
  {
    rule: 'container-privileged-port',
    name: 'sysctl above the port does not help',
    target: pod('p', {
      securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '100' }] },
      containers: [{ name: 'a', image: 'x:1', ports: [{ containerPort: 80 }, { containerPort: 443 }] }],
    }),
    paths: ['spec.containers[0].ports[0].containerPort'],
  },
  {
    rule: 'container-privileged-port',
    name: 'the sysctl in its slash form lowers the range too',
    target: pod('p', {
      securityContext: { sysctls: [{ name: 'net/ipv4/ip_unprivileged_port_start', value: '0' }] },
      containers: [{ name: 'a', image: 'x:1', ports: [{ containerPort: 80 }] }],
    }),
    paths: [],
  },
  // hostPath
  {
    rule: 'container-runtime-socket-mount',
    name: 'whole host filesystem',
    target: pod('p', {
      volumes: [{ name: 'root', hostPath: { path: '/' } }],
      containers: [
        { name: 'a', image: 'x:1', volumeMounts: [{ name: 'root', mountPath: '/host', readOnly: true }] },
      ],
    }),
    paths: ['spec.containers[0].volumeMounts[0]'],
  },
  {
    rule: 'container-runtime-socket-mount',
    name: '/var is not /var/run',
    target: pod('p', {
      volumes: [{ name: 'v', hostPath: { path: '/var' } }],
      containers: [{ name: 'a', image: 'x:1', volumeMounts: [{ name: 'v', mountPath: '/v' }] }],
    }),
    paths: [],
  },
  {
    rule: 'container-runtime-socket-mount',
    name: 'unmounted socket volume',
    target: pod('p', {
      volumes: [{ name: 's', hostPath: { path: '/var/run/docker.sock' } }],
      containers: [{ name: 'a', image: 'x:1' }],
    }),
    paths: [],
  },
  {
    rule: 'writable-host-path-mount',
    name: 'ephemeral container',
    target: pod('p', {
      volumes: [{ name: 'h', hostPath: { path: '/etc' } }],
      containers: [{ name: 'a', image: 'x:1' }],
      ephemeralContainers: [{ name: 'e', image: 'x:1', volumeMounts: [{ name: 'h', mountPath: '/h' }] }],
    }),
    paths: ['spec.ephemeralContainers[0].volumeMounts[0].readOnly'],
  },
  // Namespace
  {
    rule: 'default-namespace-used',
    name: 'system objects of the default namespace',
    target: object('v1', 'ServiceAccount', 'default', {}, { namespace: 'default' }),
    paths: [],
  },
  {
    rule: 'default-namespace-used',
    name: 'user ServiceAccount in default',
    target: object('v1', 'ServiceAccount', 'app', {}, { namespace: 'default' }),
    paths: ['metadata.namespace'],
  },
  {
    rule: 'default-namespace-used',
    name: "the endpoints controller's Endpoints of a Service (the Service is reported)",
    target: {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name: 'web',
        namespace: 'default',
        annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2026-11-20T10:00:00Z' },
      },
    },
    paths: [],
  },
  {
    rule: 'default-namespace-used',
    name: "the EndpointSlice controller's slices",
    target: {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'web-abc12',
        namespace: 'default',
        labels: { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
      },
    },
    paths: [],
  },
  {
    rule: 'default-namespace-used',
    name: 'an EndpointSlice managed by someone other than the controllers',
    target: {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'external-db-1',
        namespace: 'default',
        labels: { 'endpointslice.kubernetes.io/managed-by': 'cluster-admins' },
      },
    },
    paths: ['metadata.namespace'],
  },
  {
    rule: 'default-namespace-used',
    name: 'Endpoints written by hand (a Service without selector)',
    target: object('v1', 'Endpoints', 'external-db', {}, { namespace: 'default' }),
    paths: ['metadata.namespace'],
  },
];

describe('workload rules: cases', () => {
  for (const c of CASES)
    it(`${c.rule}: ${c.name}`, () => {
      const findings = findingsOf(rule(c.rule), c.target, c.others);
      assert.deepEqual(
        findings.map((finding) => finding.location.path),
        c.paths,
      );
      if (c.messages)
        assert.deepEqual(
          findings.map((finding) => finding.message),
          c.messages,
        );
      for (const finding of findings)
        if (finding.container !== undefined)
          assert.match(finding.message, new RegExp(`"${finding.container}"`));
    });
});

describe('service-account-token-automounted', () => {
  const r = rule('service-account-token-automounted');
  const workload = (spec: Record<string, unknown> = {}) =>
    deployment('app', { ...spec, containers: [{ name: 'a', image: 'x:1' }] }, { namespace: 'shop' });
  const account = (name: string, fields: Record<string, unknown> = {}) =>
    object('v1', 'ServiceAccount', name, fields, { namespace: 'shop' });
  const binding = (
    kind: 'RoleBinding' | 'ClusterRoleBinding',
    subject: Record<string, unknown>,
    namespace?: string,
  ) =>
    object(
      'rbac.authorization.k8s.io/v1',
      kind,
      'b',
      {
        roleRef: { kind: 'ClusterRole', name: 'view', apiGroup: 'rbac.authorization.k8s.io' },
        subjects: [subject],
      },
      namespace ? { namespace } : {},
    );
  const cases: [string, KubeObject, KubeObject[], number][] = [
    ['default account, nothing bound', workload(), [], 1],
    ['pod opts out', workload({ automountServiceAccountToken: false }), [], 0],
    ['pod opts in explicitly', workload({ automountServiceAccountToken: true }), [], 0],
    [
      'ServiceAccount opts out',
      workload({ serviceAccountName: 'app' }),
      [account('app', { automountServiceAccountToken: false })],
      0,
    ],
    ['named account in scan, unbound', workload({ serviceAccountName: 'app' }), [account('app')], 1],
    ['named account not in scan', workload({ serviceAccountName: 'app' }), [], 0],
    [
      'bound by RoleBinding',
      workload({ serviceAccountName: 'app' }),
      [
        account('app'),
        binding('RoleBinding', { kind: 'ServiceAccount', name: 'app', namespace: 'shop' }, 'shop'),
      ],
      0,
    ],
    [
      'RoleBinding subject defaults to binding namespace',
      workload({ serviceAccountName: 'app' }),
      [account('app'), binding('RoleBinding', { kind: 'ServiceAccount', name: 'app' }, 'shop')],
      0,
    ],
    [
      'bound by a RoleBinding in another namespace (access to that namespace)',
      workload({ serviceAccountName: 'app' }),
      [
        account('app'),
        binding('RoleBinding', { kind: 'ServiceAccount', name: 'app', namespace: 'shop' }, 'reports'),
      ],
      0,
    ],
    [
      'bound in another namespace',
      workload({ serviceAccountName: 'app' }),
      [
        account('app'),
        binding('ClusterRoleBinding', { kind: 'ServiceAccount', name: 'app', namespace: 'other' }),
      ],
      1,
    ],
    [
      'bound by its user name',
      workload({ serviceAccountName: 'app' }),
      [
        account('app'),
        binding('ClusterRoleBinding', { kind: 'User', name: 'system:serviceaccount:shop:app' }),
      ],
      0,
    ],
    [
      'the user name of an account in another namespace',
      workload({ serviceAccountName: 'app' }),
      [
        account('app'),
        binding('ClusterRoleBinding', { kind: 'User', name: 'system:serviceaccount:other:app' }),
      ],
      1,
    ],
    [
      'bound through the namespace group',
      workload(),
      [binding('ClusterRoleBinding', { kind: 'Group', name: 'system:serviceaccounts:shop' })],
      0,
    ],
    [
      'system:authenticated does not count',
      workload(),
      [binding('ClusterRoleBinding', { kind: 'Group', name: 'system:authenticated' })],
      1,
    ],
  ];
  for (const [name, target, others, count] of cases)
    it(name, () => {
      assert.equal(findingsOf(r, target, others).length, count);
    });
  it('fix adds the field only when the check fails', () => {
    const failing = workload();
    assert.deepEqual(r.fix?.(failing, contextOf([failing])), [
      { op: 'add', path: '/spec/template/spec/automountServiceAccountToken', value: false },
    ]);
    const bound = workload();
    const others = [binding('RoleBinding', { kind: 'ServiceAccount', name: 'default' }, 'shop')];
    assert.deepEqual(r.fix?.(bound, contextOf([bound, ...others])), []);
  });
});

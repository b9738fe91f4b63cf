// Real rules, defined with `defineRule`, for the writer tests: several severities, frameworks, an alias,
// rules with and without references, one that throws on a malformed object, one that never fires here.
import { getPath, type KubeObject } from '../../src/core/kube-object.ts';
import { containersOf, podTemplateOf, WORKLOAD_KINDS } from '../../src/core/pod-spec.ts';
import { defineRule, type Rule, type Violation } from '../../src/core/rule.ts';

const POD_OK: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'ok' },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27', securityContext: { runAsNonRoot: true } }] },
};

function pod(containers: Record<string, unknown>[]): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'example' }, spec: { containers } };
}

/** Violations for each container matching `test`, at `field` of its securityContext. */
function perContainer(
  object: KubeObject,
  test: (securityContext: Record<string, unknown>) => boolean,
  field: string,
  message: (name: string) => string,
): Violation[] {
  const view = podTemplateOf(object);
  if (!view) return [];
  return containersOf(view)
    .filter((entry) => test((entry.container.securityContext ?? {}) as Record<string, unknown>))
    .map((entry) => ({
      message: message(entry.name),
      path: [...entry.path, 'securityContext', field],
      container: entry.name,
    }));
}

export const privilegedContainer: Rule = defineRule({
  id: 'privileged-container',
  title: 'Privileged container',
  severity: 'high',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'pss-baseline': ['privileged'], 'cis-k8s': ['5.2.2'] },
  description: 'A privileged container has all host capabilities and device access.',
  remediation: 'Set `securityContext.privileged: false`.',
  references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  examples: { pass: [POD_OK], fail: [pod([{ name: 'app', securityContext: { privileged: true } }])] },
  check: (object) =>
    perContainer(
      object,
      (context) => context.privileged === true,
      'privileged',
      (name) => `container "${name}" must not set securityContext.privileged=true`,
    ),
});

export const runAsNonRoot: Rule = defineRule({
  id: 'run-as-non-root',
  title: 'Container may run as root',
  severity: 'medium',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'pss-restricted': ['runAsNonRoot'] },
  description: 'Containers must be required to run as non-root users.',
  remediation: 'Set `securityContext.runAsNonRoot: true`.',
  references: [],
  examples: { pass: [POD_OK], fail: [pod([{ name: 'app' }])] },
  check: (object) =>
    perContainer(
      object,
      (context) => context.runAsNonRoot !== true,
      'runAsNonRoot',
      (name) => `container "${name}" must set securityContext.runAsNonRoot=true`,
    ),
});

export const latestImageTag: Rule = defineRule({
  id: 'latest-image-tag',
  aliases: ['image-tag-latest'],
  title: 'Image uses the latest tag',
  severity: 'low',
  domain: 'supply-chain',
  kinds: WORKLOAD_KINDS,
  phase: 'distribute',
  layer: 'container',
  frameworks: {},
  description: 'An image referenced by a mutable tag can change under a running workload.',
  remediation: 'Pin the image by digest or an immutable version tag.',
  references: ['https://kubernetes.io/docs/concepts/containers/images/#image-names'],
  examples: { pass: [POD_OK], fail: [pod([{ name: 'app', image: 'nginx:latest' }])] },
  check: (object) => {
    const view = podTemplateOf(object);
    if (!view) return [];
    return containersOf(view).flatMap((entry) => {
      const image: unknown = entry.container.image;
      // Deliberately unguarded, to produce a rule error on a malformed object.
      if (typeof image !== 'string') throw new TypeError(`image is ${typeof image}, not a string`);
      return image.endsWith(':latest') || !image.includes(':')
        ? [
            {
              message: `container "${entry.name}" uses image "${image}"`,
              path: [...entry.path, 'image'],
              container: entry.name,
            },
          ]
        : [];
    });
  },
});

export const clusterAdminBinding: Rule = defineRule({
  id: 'cluster-admin-binding',
  title: 'Binding to cluster-admin',
  severity: 'critical',
  domain: 'rbac',
  kinds: ['ClusterRoleBinding', 'RoleBinding'],
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['5.1.1'], 'mitre-attack': ['T1078'] },
  description: 'The cluster-admin role grants every permission on every resource.',
  remediation: 'Bind a narrower role.',
  references: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles'],
  examples: {
    pass: [],
    fail: [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'x' },
        roleRef: { name: 'cluster-admin' },
      },
    ],
  },
  check: (object) =>
    getPath(object, ['roleRef', 'name']) === 'cluster-admin'
      ? [{ message: 'binds the cluster-admin role', path: ['roleRef', 'name'] }]
      : [],
});

export const hostPid: Rule = defineRule({
  id: 'host-pid',
  title: 'Host PID namespace',
  severity: 'high',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'pss-baseline': ['host-namespaces'] },
  description: 'Sharing the host PID namespace exposes every process on the node.',
  remediation: 'Remove `hostPID: true`.',
  references: [],
  examples: { pass: [POD_OK], fail: [{ ...POD_OK, spec: { hostPID: true, containers: [] } }] },
  check: (object) => {
    const view = podTemplateOf(object);
    return view?.spec.hostPID === true
      ? [{ message: 'pod shares the host PID namespace', path: [...view.specPath, 'hostPID'] }]
      : [];
  },
});

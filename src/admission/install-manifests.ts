// Everything needed to install the webhook, as Kubernetes objects: a namespace, a ServiceAccount with no
// permissions it does not need, a hardened Deployment (3 replicas, PodDisruptionBudget, anti-affinity, priority
// class, restricted security context, resources), a Service, a NetworkPolicy, the policy ConfigMap and the
// Validating/MutatingWebhookConfiguration registered only for what the policy checks.
import { PalisadeError } from '../core/errors.ts';
import type { KubeObject } from '../core/kube-object.ts';
import type { CompiledPolicy } from './compiled-policy.ts';
import { webhookConfigurations } from './webhook-configurations.ts';

export const FAILURE_POLICIES = ['Ignore', 'Fail'] as const;
export type FailurePolicy = (typeof FAILURE_POLICIES)[number];

export interface InstallOptions {
  namespace: string;
  name: string;
  image: string;
  replicas: number;
  failurePolicy: FailurePolicy;
  /** PEM of the CA that signed the serving certificate (the webhooks' caBundle). */
  caBundlePem: string;
  policy: CompiledPolicy;
  /** The policy file's text, shipped in a ConfigMap; the built-in default policy when undefined. */
  policyText?: string;
  /** Name of the kubernetes.io/tls Secret holding the serving certificate. */
  tlsSecretName: string;
  /** Included only when asked: it holds a private key. */
  tlsSecret?: { certPem: string; keyPem: string };
}

/** Fail closed needs enough replicas that one node drain or crash cannot block every create in the cluster. */
export const MIN_REPLICAS_FOR_FAIL = 3;
const PORT = 8443;

export interface InstallManifests {
  objects: KubeObject[];
  /** Kinds the policy checks that have no known API resource (a webhook cannot be registered for them). */
  unregisteredKinds: string[];
}

export function buildInstallManifests(options: InstallOptions): InstallManifests {
  if (options.failurePolicy === 'Fail' && options.replicas < MIN_REPLICAS_FOR_FAIL)
    throw new PalisadeError(
      'usage',
      `failurePolicy Fail needs at least ${MIN_REPLICAS_FOR_FAIL} replicas (got ${options.replicas}): with fewer, one unavailable pod blocks every matching request in the cluster`,
    );
  const { namespace, name } = options;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'palisade' };
  const needsNamespaceRead = options.policy.policy.namespaceLabels;
  const objects: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: namespace,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace, labels },
      automountServiceAccountToken: needsNamespaceRead,
    },
  ];
  if (needsNamespaceRead) objects.push(...namespaceReaderRbac(name, namespace, labels));
  if (options.tlsSecret)
    objects.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: options.tlsSecretName, namespace, labels },
      type: 'kubernetes.io/tls',
      data: {
        'tls.crt': Buffer.from(options.tlsSecret.certPem).toString('base64'),
        'tls.key': Buffer.from(options.tlsSecret.keyPem).toString('base64'),
      },
    });
  const policyConfigMap = `${name}-policy`;
  if (options.policyText !== undefined)
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: policyConfigMap, namespace, labels },
      data: { 'policy.yaml': options.policyText },
    });
  objects.push(
    {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name, labels },
      value: 1_000_000,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
      description: 'Palisade admission webhook: scheduled before ordinary workloads, since they wait on it.',
    },
    deployment(options, labels, policyConfigMap, needsNamespaceRead),
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, namespace, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector: labels,
        ports: [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }],
      },
    },
    networkPolicy(name, namespace, labels, needsNamespaceRead),
  );
  const webhooks = webhookConfigurations(options, labels);
  objects.push(...webhooks.objects);
  return { objects, unregisteredKinds: webhooks.unregisteredKinds };
}

function deployment(
  options: InstallOptions,
  labels: Record<string, string>,
  policyConfigMap: string,
  needsToken: boolean,
): KubeObject {
  const args = ['webhook', 'serve', '--port', String(PORT), '--cert', '/etc/palisade/tls/tls.crt'];
  args.push('--key', '/etc/palisade/tls/tls.key');
  if (options.policyText !== undefined) args.push('--policy', '/etc/palisade/policy/policy.yaml');
  const volumes: Record<string, unknown>[] = [
    { name: 'tls', secret: { secretName: options.tlsSecretName, defaultMode: 0o440 } },
  ];
  const mounts: Record<string, unknown>[] = [{ name: 'tls', mountPath: '/etc/palisade/tls', readOnly: true }];
  if (options.policyText !== undefined) {
    volumes.push({ name: 'policy', configMap: { name: policyConfigMap, defaultMode: 0o440 } });
    mounts.push({ name: 'policy', mountPath: '/etc/palisade/policy', readOnly: true });
  }
  const probe = (path: string) => ({
    httpGet: { path, port: 'https', scheme: 'HTTPS' },
    periodSeconds: 10,
    timeoutSeconds: 2,
    failureThreshold: 3,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: options.name, namespace: options.namespace, labels },
    spec: {
      replicas: options.replicas,
      revisionHistoryLimit: 3,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: options.name,
          automountServiceAccountToken: needsToken,
          priorityClassName: options.name,
          enableServiceLinks: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65532,
            runAsGroup: 65532,
            fsGroup: 65532,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          affinity: {
            podAntiAffinity: {
              // Preferred, not required: a small cluster can still schedule all replicas.
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    topologyKey: 'kubernetes.io/hostname',
                    labelSelector: { matchLabels: labels },
                  },
                },
              ],
            },
          },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: labels },
            },
          ],
          containers: [
            {
              name: 'webhook',
              image: options.image,
              imagePullPolicy: 'IfNotPresent',
              args,
              ports: [{ name: 'https', containerPort: PORT, protocol: 'TCP' }],
              readinessProbe: probe('/readyz'),
              livenessProbe: probe('/healthz'),
              // Measured: about 100 MB resident at rest, 300 MB under sustained load (bench/webhook.ts).
              resources: {
                requests: { cpu: '250m', memory: '256Mi' },
                limits: { cpu: '2', memory: '512Mi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                runAsUser: 65532,
                runAsGroup: 65532,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: mounts,
            },
          ],
          volumes,
        },
      },
    },
  };
}

function namespaceReaderRbac(name: string, namespace: string, labels: Record<string, string>): KubeObject[] {
  const roleName = `${name}-namespace-reader`;
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: roleName, labels },
      // Only to read Pod Security Admission labels of namespaces.
      rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: roleName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
  ];
}

function networkPolicy(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  needsApiServer: boolean,
): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels },
    spec: {
      podSelector: { matchLabels: labels },
      policyTypes: ['Ingress', 'Egress'],
      // The API server's address differs per cluster: the port is the restriction.
      ingress: [{ ports: [{ port: PORT, protocol: 'TCP' }] }],
      // No egress at all unless namespace labels are read from the API server.
      egress: needsApiServer
        ? [
            {
              ports: [
                { port: 443, protocol: 'TCP' },
                { port: 6443, protocol: 'TCP' },
              ],
            },
          ]
        : [],
    },
  };
}

// Everything needed to install the webhook, as Kubernetes objects: a namespace with a default-deny NetworkPolicy, a
// LimitRange and a ResourceQuota, a ServiceAccount with no permissions it does not need, a hardened Deployment
// (3 replicas, PodDisruptionBudget, anti-affinity, priority class, restricted security context, resources), a
// Service, a NetworkPolicy admitting only the API server, the policy ConfigMap and the
// Validating/MutatingWebhookConfiguration registered only for what the policy checks. With the API server's
// addresses given (and an image pinned by digest), the output passes `palisade scan` with every rule.
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
  /**
   * Canonical CIDRs the API server connects from and listens on: the only peers of the webhook pods (ingress to
   * 8443; egress to 443/6443 when namespace labels are read). Empty: every address (the caller's explicit choice).
   */
  apiServerCidrs: readonly string[];
}

/** Fail closed needs enough replicas that one node drain or crash cannot block every create in the cluster. */
export const MIN_REPLICAS_FOR_FAIL = 3;
const PORT = 8443;
/** Ports the API server may listen on behind the `kubernetes` Service (managed clusters 443, kubeadm 6443). */
const API_SERVER_PORTS = [443, 6443];
// Measured: about 100 MB resident at rest, 300 MB under sustained load (bench/webhook.ts).
const CONTAINER_REQUESTS = { cpuMillis: 250, memoryMi: 256 };
const CONTAINER_LIMITS = { cpuMillis: 2000, memoryMi: 512 };

function cpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

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
    defaultDenyPolicy(name, namespace, labels),
    limitRange(name, namespace, labels),
    resourceQuota(name, namespace, labels, options.replicas),
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
    networkPolicy(name, namespace, labels, needsNamespaceRead, options.apiServerCidrs),
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
              resources: {
                requests: {
                  cpu: cpu(CONTAINER_REQUESTS.cpuMillis),
                  memory: `${CONTAINER_REQUESTS.memoryMi}Mi`,
                },
                limits: { cpu: cpu(CONTAINER_LIMITS.cpuMillis), memory: `${CONTAINER_LIMITS.memoryMi}Mi` },
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

/** Denies all ingress and egress to every pod of the namespace; the webhook's own policy then allows what it needs. */
function defaultDenyPolicy(name: string, namespace: string, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `${name}-default-deny`, namespace, labels },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  };
}

/** Containers in the namespace get the webhook's requests and limits by default and no more than its limits. */
function limitRange(name: string, namespace: string, labels: Record<string, string>): KubeObject {
  const limits = () => ({ cpu: cpu(CONTAINER_LIMITS.cpuMillis), memory: `${CONTAINER_LIMITS.memoryMi}Mi` });
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name, namespace, labels },
    spec: {
      limits: [
        {
          type: 'Container',
          defaultRequest: {
            cpu: cpu(CONTAINER_REQUESTS.cpuMillis),
            memory: `${CONTAINER_REQUESTS.memoryMi}Mi`,
          },
          default: limits(),
          max: limits(),
        },
      ],
    },
  };
}

/**
 * Room for the replicas, the one surge pod of a rolling update and one pod still terminating; no LoadBalancer or
 * NodePort Service and no volume claim (the webhook needs none).
 */
function resourceQuota(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  replicas: number,
): KubeObject {
  const pods = replicas + 2;
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name, namespace, labels },
    spec: {
      hard: {
        pods: String(pods),
        'requests.cpu': cpu(pods * CONTAINER_REQUESTS.cpuMillis),
        'requests.memory': `${pods * CONTAINER_REQUESTS.memoryMi}Mi`,
        'limits.cpu': cpu(pods * CONTAINER_LIMITS.cpuMillis),
        'limits.memory': `${pods * CONTAINER_LIMITS.memoryMi}Mi`,
        'services.loadbalancers': '0',
        'services.nodeports': '0',
        persistentvolumeclaims: '0',
      },
    },
  };
}

function networkPolicy(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  needsApiServer: boolean,
  apiServerCidrs: readonly string[],
): KubeObject {
  // The API server is the only client; no pod selector can name it (it runs on the host network or outside the
  // cluster), so it is named by address. Without addresses, the port is the only restriction.
  const withPeers = (direction: 'from' | 'to') =>
    apiServerCidrs.length > 0 ? { [direction]: apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })) } : {};
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels },
    spec: {
      podSelector: { matchLabels: labels },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ...withPeers('from'), ports: [{ port: PORT, protocol: 'TCP' }] }],
      // No egress at all (no DNS either: the API server is reached by the address the kubelet puts in
      // KUBERNETES_SERVICE_HOST) unless namespace labels are read from the API server.
      egress: needsApiServer
        ? [
            {
              ...withPeers('to'),
              ports: API_SERVER_PORTS.map((port) => ({ port, protocol: 'TCP' })),
            },
          ]
        : [],
    },
  };
}

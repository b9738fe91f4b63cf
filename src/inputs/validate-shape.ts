// The Kubernetes types of the fields rules read. An object that breaks them would be refused by the API server,
// so each bad field is reported as an error where it is; the object is still scanned (rules read defensively).
import type { KubeObject } from '../core/kube-object.ts';
import {
  array,
  compileShape,
  map,
  object,
  type Shape,
  type ShapeChecker,
  type ShapeError,
} from './shape-check.ts';

const str: Shape = 'string';
const bool: Shape = 'boolean';
const int: Shape = 'integer';
const strings = array(str);
const stringMap = map(str);

const OBJECT_META = object({
  name: str,
  generateName: str,
  namespace: str,
  labels: stringMap,
  annotations: stringMap,
  finalizers: strings,
  ownerReferences: array(
    object({ apiVersion: str, kind: str, name: str, uid: str, controller: bool, blockOwnerDeletion: bool }),
  ),
});

const LABEL_SELECTOR = object({
  matchLabels: stringMap,
  matchExpressions: array(object({ key: str, operator: str, values: strings })),
});

const PROFILE = object({ type: str, localhostProfile: str });
const SE_LINUX = object({ user: str, role: str, type: str, level: str });
const WINDOWS = object({
  gmsaCredentialSpecName: str,
  gmsaCredentialSpec: str,
  runAsUserName: str,
  hostProcess: bool,
});

const SECURITY_CONTEXT = object({
  privileged: bool,
  allowPrivilegeEscalation: bool,
  readOnlyRootFilesystem: bool,
  runAsUser: int,
  runAsGroup: int,
  runAsNonRoot: bool,
  procMount: str,
  capabilities: object({ add: strings, drop: strings }),
  seccompProfile: PROFILE,
  appArmorProfile: PROFILE,
  seLinuxOptions: SE_LINUX,
  windowsOptions: WINDOWS,
});

const POD_SECURITY_CONTEXT = object({
  runAsUser: int,
  runAsGroup: int,
  runAsNonRoot: bool,
  fsGroup: int,
  fsGroupChangePolicy: str,
  supplementalGroups: array(int),
  supplementalGroupsPolicy: str,
  sysctls: array(object({ name: str, value: str })),
  seccompProfile: PROFILE,
  appArmorProfile: PROFILE,
  seLinuxOptions: SE_LINUX,
  seLinuxChangePolicy: str,
  windowsOptions: WINDOWS,
});

const KEY_REF = object({ name: str, key: str, optional: bool });
const PROBE = object({
  initialDelaySeconds: int,
  periodSeconds: int,
  timeoutSeconds: int,
  successThreshold: int,
  failureThreshold: int,
  terminationGracePeriodSeconds: int,
  exec: object({ command: strings }),
  httpGet: object({ path: str, port: 'int-or-string', host: str, scheme: str }),
  tcpSocket: object({ port: 'int-or-string', host: str }),
  grpc: object({ port: int, service: str }),
});
const RESOURCES = object({ limits: map('quantity'), requests: map('quantity') });

const CONTAINER = object({
  name: str,
  image: str,
  imagePullPolicy: str,
  command: strings,
  args: strings,
  workingDir: str,
  ports: array(object({ name: str, containerPort: int, hostPort: int, hostIP: str, protocol: str })),
  env: array(
    object({
      name: str,
      value: str,
      valueFrom: object({ secretKeyRef: KEY_REF, configMapKeyRef: KEY_REF }),
    }),
  ),
  envFrom: array(
    object({ prefix: str, secretRef: object({ name: str }), configMapRef: object({ name: str }) }),
  ),
  resources: RESOURCES,
  volumeMounts: array(
    object({
      name: str,
      mountPath: str,
      subPath: str,
      subPathExpr: str,
      readOnly: bool,
      mountPropagation: str,
    }),
  ),
  volumeDevices: array(object({ name: str, devicePath: str })),
  securityContext: SECURITY_CONTEXT,
  livenessProbe: PROBE,
  readinessProbe: PROBE,
  startupProbe: PROBE,
  restartPolicy: str,
  stdin: bool,
  tty: bool,
  targetContainerName: str,
});

const VOLUME = object({
  name: str,
  hostPath: object({ path: str, type: str }),
  emptyDir: object({ medium: str, sizeLimit: 'quantity' }),
  secret: object({
    secretName: str,
    defaultMode: int,
    optional: bool,
    items: array(object({ key: str, path: str })),
  }),
  configMap: object({
    name: str,
    defaultMode: int,
    optional: bool,
    items: array(object({ key: str, path: str })),
  }),
  persistentVolumeClaim: object({ claimName: str, readOnly: bool }),
  projected: object({ defaultMode: int, sources: array(object({})) }),
  csi: object({ driver: str, readOnly: bool }),
});

const POD_SPEC = object({
  containers: array(CONTAINER),
  initContainers: array(CONTAINER),
  ephemeralContainers: array(CONTAINER),
  volumes: array(VOLUME),
  securityContext: POD_SECURITY_CONTEXT,
  hostNetwork: bool,
  hostPID: bool,
  hostIPC: bool,
  hostUsers: bool,
  shareProcessNamespace: bool,
  automountServiceAccountToken: bool,
  enableServiceLinks: bool,
  serviceAccountName: str,
  serviceAccount: str,
  nodeName: str,
  nodeSelector: stringMap,
  hostname: str,
  subdomain: str,
  restartPolicy: str,
  dnsPolicy: str,
  schedulerName: str,
  priorityClassName: str,
  priority: int,
  runtimeClassName: str,
  preemptionPolicy: str,
  terminationGracePeriodSeconds: int,
  activeDeadlineSeconds: int,
  setHostnameAsFQDN: bool,
  os: object({ name: str }),
  hostAliases: array(object({ ip: str, hostnames: strings })),
  imagePullSecrets: array(object({ name: str })),
  tolerations: array(object({ key: str, operator: str, value: str, effect: str, tolerationSeconds: int })),
});

const POD_TEMPLATE = object({ metadata: OBJECT_META, spec: POD_SPEC });
const JOB_SPEC = object({
  template: POD_TEMPLATE,
  parallelism: int,
  completions: int,
  backoffLimit: int,
  activeDeadlineSeconds: int,
  ttlSecondsAfterFinished: int,
  selector: LABEL_SELECTOR,
});
const WORKLOAD_SPEC = object({ replicas: int, selector: LABEL_SELECTOR, template: POD_TEMPLATE });

const SERVICE_SPEC = object({
  type: str,
  selector: stringMap,
  ports: array(
    object({
      name: str,
      port: int,
      targetPort: 'int-or-string',
      nodePort: int,
      protocol: str,
      appProtocol: str,
    }),
  ),
  clusterIP: str,
  clusterIPs: strings,
  externalIPs: strings,
  externalName: str,
  loadBalancerIP: str,
  loadBalancerSourceRanges: strings,
  externalTrafficPolicy: str,
  internalTrafficPolicy: str,
  sessionAffinity: str,
  publishNotReadyAddresses: bool,
  ipFamilies: strings,
  ipFamilyPolicy: str,
  allocateLoadBalancerNodePorts: bool,
  healthCheckNodePort: int,
});

// Both networking.k8s.io/v1 (`service`) and the older extensions/v1beta1 (`serviceName`) backends.
const INGRESS_BACKEND = object({
  service: object({ name: str, port: object({ name: str, number: int }) }),
  resource: object({ apiGroup: str, kind: str, name: str }),
  serviceName: str,
  servicePort: 'int-or-string',
});
const INGRESS_SPEC = object({
  ingressClassName: str,
  defaultBackend: INGRESS_BACKEND,
  backend: INGRESS_BACKEND,
  tls: array(object({ hosts: strings, secretName: str })),
  rules: array(
    object({
      host: str,
      http: object({ paths: array(object({ path: str, pathType: str, backend: INGRESS_BACKEND })) }),
    }),
  ),
});

const POLICY_RULES = array(
  object({
    apiGroups: strings,
    resources: strings,
    verbs: strings,
    resourceNames: strings,
    nonResourceURLs: strings,
  }),
);
const BINDING = {
  subjects: array(object({ kind: str, name: str, namespace: str, apiGroup: str })),
  roleRef: object({ apiGroup: str, kind: str, name: str }),
};

const NETWORK_PEER = object({
  podSelector: LABEL_SELECTOR,
  namespaceSelector: LABEL_SELECTOR,
  ipBlock: object({ cidr: str, except: strings }),
});
const NETWORK_PORTS = array(object({ protocol: str, port: 'int-or-string', endPort: int }));

/**
 * Shapes of the top-level fields, by kind. Kinds are matched by name alone because the engine dispatches
 * rules by kind alone: whatever a rule for `Deployment` will read must have the Deployment shape.
 */
const KIND_SHAPES: Readonly<Record<string, Readonly<Record<string, Shape>>>> = {
  Pod: { spec: POD_SPEC },
  PodTemplate: { template: POD_TEMPLATE },
  Deployment: { spec: WORKLOAD_SPEC },
  ReplicaSet: { spec: WORKLOAD_SPEC },
  DaemonSet: { spec: WORKLOAD_SPEC },
  StatefulSet: {
    spec: object({ replicas: int, serviceName: str, selector: LABEL_SELECTOR, template: POD_TEMPLATE }),
  },
  ReplicationController: { spec: object({ replicas: int, selector: stringMap, template: POD_TEMPLATE }) },
  Job: { spec: JOB_SPEC },
  CronJob: {
    spec: object({
      schedule: str,
      suspend: bool,
      jobTemplate: object({ metadata: OBJECT_META, spec: JOB_SPEC }),
    }),
  },
  Service: { spec: SERVICE_SPEC },
  Ingress: { spec: INGRESS_SPEC },
  ConfigMap: { data: stringMap, binaryData: stringMap, immutable: bool },
  Secret: { data: stringMap, stringData: stringMap, type: str, immutable: bool },
  ServiceAccount: { automountServiceAccountToken: bool, imagePullSecrets: array(object({ name: str })) },
  Role: { rules: POLICY_RULES },
  ClusterRole: {
    rules: POLICY_RULES,
    aggregationRule: object({ clusterRoleSelectors: array(LABEL_SELECTOR) }),
  },
  RoleBinding: BINDING,
  ClusterRoleBinding: BINDING,
  NetworkPolicy: {
    spec: object({
      podSelector: LABEL_SELECTOR,
      policyTypes: strings,
      ingress: array(object({ from: array(NETWORK_PEER), ports: NETWORK_PORTS })),
      egress: array(object({ to: array(NETWORK_PEER), ports: NETWORK_PORTS })),
    }),
  },
};

const COMMON_SHAPE = compileShape(object({ metadata: OBJECT_META }));
const SHAPES = new Map<string, ShapeChecker>(
  Object.entries(KIND_SHAPES).map(([kind, fields]) => [
    kind,
    compileShape(object({ metadata: OBJECT_META, ...fields })),
  ]),
);

/** Every field with a wrong type among those rules read; empty when the object has the shape rules expect. */
export function validateShape(object: KubeObject): ShapeError[] {
  const errors: ShapeError[] = [];
  (SHAPES.get(object.kind) ?? COMMON_SHAPE)(object, [], errors);
  return errors;
}

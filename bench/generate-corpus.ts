// A deterministic corpus of realistic manifests for benchmarks: multi-document YAML files as `helm template`
// writes them, with a mix of kinds and security contexts (many objects with findings, some clean).
import { seededRandom } from '../test/seeded-random.ts';

export interface GeneratedFile {
  name: string;
  text: string;
  objects: number;
}

const IMAGES = [
  'nginx:1.27',
  'ghcr.io/acme/api:v2.3.1',
  'redis:7-alpine',
  'busybox',
  'quay.io/prometheus/node-exporter:v1.8.0',
];
const APPS = ['web', 'api', 'worker', 'cache', 'auth', 'billing', 'search', 'gateway', 'metrics', 'ingest'];

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

export function generateCorpus(objects: number, seed = 42, objectsPerFile = 100): GeneratedFile[] {
  const next = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const chance = (p: number): boolean => next() < p;

  const containerSecurity = (): string => {
    const lines: string[] = [];
    const profile = next();
    if (profile < 0.25) return ''; // no securityContext at all: findings
    if (profile < 0.35) lines.push('privileged: true');
    if (profile >= 0.6) {
      // hardened: clean under restricted
      lines.push('allowPrivilegeEscalation: false', 'readOnlyRootFilesystem: true', 'runAsNonRoot: true');
      lines.push('capabilities:\n  drop:\n  - ALL', 'seccompProfile:\n  type: RuntimeDefault');
    } else {
      if (chance(0.5)) lines.push(`runAsUser: ${chance(0.3) ? 0 : 1000}`);
      if (chance(0.4))
        lines.push(`capabilities:\n  add: [${pick(['NET_ADMIN', 'SYS_ADMIN', 'NET_BIND_SERVICE'])}]`);
      if (chance(0.3)) lines.push('allowPrivilegeEscalation: true');
    }
    return `securityContext:\n${indent(lines.join('\n'), 2)}\n`;
  };

  const container = (name: string): string => {
    const port = 8000 + Math.floor(next() * 1000);
    let text = `- name: ${name}\n  image: ${pick(IMAGES)}\n  imagePullPolicy: IfNotPresent\n`;
    if (chance(0.5)) text += `  args: ["--port=${port}", "--log-level=info"]\n`;
    text += `  ports:\n  - name: http\n    containerPort: ${port}\n    protocol: TCP\n`;
    text += `  env:\n  - name: APP_MODE\n    value: "production"\n  - name: POD_NAME\n    valueFrom:\n      fieldRef:\n        fieldPath: metadata.name\n`;
    if (chance(0.7))
      text += `  resources:\n    requests:\n      cpu: 100m\n      memory: 128Mi\n    limits:\n      cpu: "1"\n      memory: 512Mi\n`;
    if (chance(0.6))
      text += `  livenessProbe:\n    httpGet:\n      path: /healthz\n      port: http\n    initialDelaySeconds: 10\n    periodSeconds: 10\n`;
    text += `  volumeMounts:\n  - name: config\n    mountPath: /etc/${name}\n    readOnly: true\n`;
    text += indent(containerSecurity(), 2);
    return text;
  };

  const podSpec = (app: string, restartPolicy?: string): string => {
    let text = restartPolicy ? `restartPolicy: ${restartPolicy}\n` : '';
    if (chance(0.08)) text += 'hostNetwork: true\n';
    if (chance(0.04)) text += 'hostPID: true\n';
    text += `serviceAccountName: ${app}\n`;
    if (chance(0.5))
      text +=
        'securityContext:\n  runAsNonRoot: true\n  fsGroup: 2000\n  seccompProfile:\n    type: RuntimeDefault\n';
    text += `containers:\n${container(app)}`;
    if (chance(0.3)) text += container(`${app}-sidecar`);
    text += `volumes:\n- name: config\n  configMap:\n    name: ${app}-config\n    defaultMode: 0644\n`;
    if (chance(0.05)) text += '- name: host\n  hostPath:\n    path: /var/run/docker.sock\n';
    return text;
  };

  const metadata = (name: string, namespace: string, app: string): string =>
    `metadata:\n  name: ${name}\n  namespace: ${namespace}\n  labels:\n    app.kubernetes.io/name: ${app}\n    app.kubernetes.io/part-of: shop\n    "helm.sh/chart": ${app}-1.2.3\n  annotations:\n    description: "generated for benchmarks"\n`;

  const template = (app: string, restartPolicy?: string): string =>
    `template:\n  metadata:\n    labels:\n      app.kubernetes.io/name: ${app}\n  spec:\n${indent(podSpec(app, restartPolicy), 4)}`;

  const makers: ((name: string, ns: string, app: string) => string)[] = [
    (name, ns, app) =>
      `apiVersion: apps/v1\nkind: Deployment\n${metadata(name, ns, app)}spec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${app}\n${indent(template(app), 2)}`,
    (name, ns, app) =>
      `apiVersion: apps/v1\nkind: StatefulSet\n${metadata(name, ns, app)}spec:\n  serviceName: ${app}\n  replicas: 2\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${app}\n${indent(template(app), 2)}`,
    (name, ns, app) =>
      `apiVersion: apps/v1\nkind: DaemonSet\n${metadata(name, ns, app)}spec:\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${app}\n${indent(template(app), 2)}`,
    (name, ns, app) =>
      `apiVersion: batch/v1\nkind: CronJob\n${metadata(name, ns, app)}spec:\n  schedule: "*/15 * * * *"\n  jobTemplate:\n    spec:\n${indent(template(app, 'OnFailure'), 6)}`,
    (name, ns, app) =>
      `apiVersion: v1\nkind: Pod\n${metadata(name, ns, app)}spec:\n${indent(podSpec(app), 2)}`,
    (name, ns, app) =>
      `apiVersion: v1\nkind: Service\n${metadata(name, ns, app)}spec:\n  type: ${chance(0.1) ? 'LoadBalancer' : chance(0.1) ? 'NodePort' : 'ClusterIP'}\n  selector:\n    app.kubernetes.io/name: ${app}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n`,
    (name, ns, app) =>
      `apiVersion: v1\nkind: ConfigMap\n${metadata(`${name}-config`, ns, app)}data:\n  LOG_LEVEL: info\n  config.yaml: |\n    server:\n      port: 8080\n      # not a key of the manifest\n    features: [a, b]\n`,
    (name, ns, app) =>
      `apiVersion: v1\nkind: ServiceAccount\n${metadata(name, ns, app)}automountServiceAccountToken: ${chance(0.5)}\n`,
    (name, ns, app) =>
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n${metadata(name, ns, app)}roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: ${chance(0.1) ? 'cluster-admin' : 'view'}\nsubjects:\n- kind: ServiceAccount\n  name: ${app}\n  namespace: ${ns}\n`,
    (name, ns, app) =>
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n${metadata(name, ns, app)}spec:\n  podSelector:\n    matchLabels:\n      app.kubernetes.io/name: ${app}\n  policyTypes: [Ingress, Egress]\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: ${ns}\n    ports:\n    - protocol: TCP\n      port: 8080\n`,
  ];
  const weights = [4, 1, 1, 1, 1, 3, 2, 2, 1, 1];
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const pickMaker = (): ((name: string, ns: string, app: string) => string) => {
    let roll = next() * total;
    for (let i = 0; i < makers.length; i++) {
      roll -= weights[i] as number;
      if (roll < 0) return makers[i] as (typeof makers)[number];
    }
    return makers[0] as (typeof makers)[number];
  };

  const files: GeneratedFile[] = [];
  for (let start = 0; start < objects; start += objectsPerFile) {
    const count = Math.min(objectsPerFile, objects - start);
    const documents: string[] = [];
    for (let i = 0; i < count; i++) {
      const app = pick(APPS);
      const ns = `team-${Math.floor(next() * 20)}`;
      documents.push(
        `# Source: ${app}/templates/object-${start + i}.yaml\n${pickMaker()(`${app}-${start + i}`, ns, app)}`,
      );
    }
    files.push({
      name: `generated/chunk-${files.length}.yaml`,
      text: `---\n${documents.join('---\n')}`,
      objects: count,
    });
  }
  return files;
}

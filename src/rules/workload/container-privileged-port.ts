import { isRecord, type KubeObject } from '../../core/kube-object.ts';
import {
  containersOf,
  isWindowsPod,
  type PodTemplateView,
  podTemplateOf,
  WORKLOAD_KINDS,
} from '../../core/pod-spec.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import { deployment } from '../example-objects.ts';

const SYSCTL = 'net.ipv4.ip_unprivileged_port_start';

/** The first unprivileged port: 1024 unless the pod lowers it with the namespaced sysctl. */
function unprivilegedPortStart(view: PodTemplateView): number {
  const sysctls = view.spec.securityContext?.sysctls;
  if (Array.isArray(sysctls))
    for (const sysctl of sysctls) {
      // The kubelet also takes the slash form (net/ipv4/...), the way /proc/sys spells it.
      if (!isRecord(sysctl) || typeof sysctl.name !== 'string' || sysctl.name.replaceAll('/', '.') !== SYSCTL)
        continue;
      // The API server takes sysctl values as strings; anything else (a mapping) is no number.
      const value =
        typeof sysctl.value === 'string' || typeof sysctl.value === 'number'
          ? Number(sysctl.value)
          : Number.NaN;
      if (Number.isInteger(value) && value >= 0) return value;
    }
  return 1024;
}

function portNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

const PASS: KubeObject[] = [
  deployment('web', { containers: [{ name: 'app', image: 'web:1.0', ports: [{ containerPort: 8080 }] }] }),
  // The pod lowers the privileged port range, so binding port 80 needs no capability.
  deployment('lowered', {
    securityContext: { sysctls: [{ name: SYSCTL, value: '0' }] },
    containers: [{ name: 'app', image: 'web:1.0', ports: [{ containerPort: 80 }] }],
  }),
];

const FAIL: KubeObject[] = [
  deployment('web', {
    containers: [
      {
        name: 'app',
        image: 'nginx:1.27',
        ports: [{ name: 'http', containerPort: 80 }, { containerPort: 8443 }],
      },
    ],
  }),
];

export default defineRule({
  id: 'container-privileged-port',
  title: 'Container listens on a privileged port',
  severity: 'low',
  domain: 'workload',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'nsa-cisa': ['non-root-containers'] },
  description:
    'Binding a port below 1024 needs root or the `NET_BIND_SERVICE` capability, so a container declaring one usually runs its server as root. ' +
    'Some container runtimes and distributions lower `net.ipv4.ip_unprivileged_port_start` to 0 in every container (Docker and Podman do, and k3s, kind and minikube configure containerd so); others keep the kernel default of 1024, and a manifest cannot tell which node will run it, so the port is flagged either way. ' +
    'Serving on an unprivileged port (8080) and mapping the Service port to it lets the container run as a non-root user with every capability dropped. ' +
    'Pods that lower `net.ipv4.ip_unprivileged_port_start` below the port with a pod sysctl are not flagged; Windows pods are skipped. Host ports are a Pod Security Standards control and are checked by the pod-security rules.',
  remediation:
    'Make the process listen on a port of 1024 or above and keep the well-known port on the Service (`port: 80`, `targetPort: 8080`). ' +
    'If the image cannot be changed, set the pod sysctl `net.ipv4.ip_unprivileged_port_start` to the port instead of running as root.',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service',
    'https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (object) => {
    const view = podTemplateOf(object);
    if (!view || isWindowsPod(view)) return [];
    const start = unprivilegedPortStart(view);
    const out: Violation[] = [];
    for (const container of containersOf(view)) {
      const ports = container.container.ports;
      if (!Array.isArray(ports)) continue;
      ports.forEach((port, index) => {
        if (!isRecord(port)) return;
        const number = portNumber(port.containerPort);
        if (number === undefined || number < 1 || number >= start) return;
        out.push({
          message: `container "${container.name}" declares privileged containerPort ${number} (ports[${index}]), which needs root or NET_BIND_SERVICE to bind unless the container runtime lowers ${SYSCTL}`,
          path: [...container.path, 'ports', index, 'containerPort'],
          container: container.name,
        });
      });
    }
    return out;
  },
});

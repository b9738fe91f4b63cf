import type { KubeObject } from '../../core/kube-object.ts';
import { podTemplateOf, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import { deployment } from '../example-objects.ts';
import { hostPathMounts, normalizeHostPath } from './host-path.ts';

/** Container runtime API sockets: whoever can connect can start a privileged container on the node. */
const RUNTIME_SOCKETS = [
  '/run/containerd/containerd.sock',
  '/var/run/containerd/containerd.sock',
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/var/run/crio/crio.sock',
  '/run/crio/crio.sock',
  '/var/run/cri-dockerd.sock',
  '/run/cri-dockerd.sock',
  '/var/run/dockershim.sock',
  '/run/k3s/containerd/containerd.sock',
  '/var/run/podman/podman.sock',
  '/run/podman/podman.sock',
];

/** The socket a host path exposes: the socket itself or a directory above it (up to `/`). */
function exposedSocket(hostPath: string): string | undefined {
  const path = normalizeHostPath(hostPath);
  // /var/run is a symlink to /run on current distributions; through a /var mount it resolves inside the container.
  if (path === '' || path === '/var') return undefined;
  return RUNTIME_SOCKETS.find(
    (socket) => socket === path || socket.startsWith(path === '/' ? '/' : `${path}/`),
  );
}

const PASS: KubeObject[] = [
  deployment('collector', {
    volumes: [{ name: 'logs', hostPath: { path: '/var/log/containers' } }],
    containers: [
      {
        name: 'collector',
        image: 'fluent-bit:3.0',
        volumeMounts: [{ name: 'logs', mountPath: '/logs', readOnly: true }],
      },
    ],
  }),
  // /var/run/secrets is not a runtime socket directory.
  deployment('other', {
    volumes: [{ name: 'x', hostPath: { path: '/var/run/secrets-store' } }],
    containers: [
      { name: 'app', image: 'web:1.0', volumeMounts: [{ name: 'x', mountPath: '/x', readOnly: true }] },
    ],
  }),
];

const FAIL: KubeObject[] = [
  deployment('ci-runner', {
    volumes: [{ name: 'docker', hostPath: { path: '/var/run/docker.sock', type: 'Socket' } }],
    // Read-only mounts do not stop connect() on a Unix socket.
    containers: [
      {
        name: 'runner',
        image: 'runner:1.0',
        volumeMounts: [{ name: 'docker', mountPath: '/var/run/docker.sock', readOnly: true }],
      },
    ],
  }),
  deployment('agent', {
    volumes: [{ name: 'run', hostPath: { path: '/run/containerd/' } }],
    containers: [
      { name: 'agent', image: 'agent:1.0', volumeMounts: [{ name: 'run', mountPath: '/host/run' }] },
    ],
  }),
];

export default defineRule({
  id: 'container-runtime-socket-mount',
  title: 'Container runtime socket mounted into a container',
  severity: 'critical',
  domain: 'workload',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'cis-k8s': ['5.2.12'], 'nsa-cisa': ['pod-security'], 'mitre-attack': ['T1610', 'T1611'] },
  description:
    'The Docker, containerd, CRI-O and Podman API sockets give whoever can connect full control of the node: start a privileged container with the host filesystem mounted, read every container, bypass Kubernetes admission entirely. ' +
    'This rule flags each container that mounts a hostPath volume of a runtime socket or of a directory containing one (`/var/run`, `/run/containerd`, `/`). ' +
    'Read-only mounts are flagged too: `readOnly` does not prevent connecting to a Unix socket.',
  remediation:
    'Do not mount runtime sockets into workloads. Build images with a daemonless builder (BuildKit rootless, Kaniko, Buildah) and read container metadata through the Kubernetes API or the kubelet instead of the runtime.',
  references: [
    'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
    'https://attack.mitre.org/techniques/T1610/',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (object) => {
    const view = podTemplateOf(object);
    if (!view) return [];
    const out: Violation[] = [];
    for (const { container, index, volumeName, hostPath } of hostPathMounts(view)) {
      const socket = exposedSocket(hostPath);
      if (socket === undefined) continue;
      out.push({
        message:
          normalizeHostPath(hostPath) === socket
            ? `container "${container.name}" mounts the container runtime socket ${socket} (volume "${volumeName}")`
            : `container "${container.name}" mounts host directory ${hostPath} (volume "${volumeName}"), which contains container runtime sockets such as ${socket}`,
        path: [...container.path, 'volumeMounts', index],
        container: container.name,
      });
    }
    return out;
  },
});

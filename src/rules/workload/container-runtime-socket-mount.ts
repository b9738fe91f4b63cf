import type { KubeObject } from '../../core/kube-object.ts';
import { podTemplateOf, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import { deployment } from '../example-objects.ts';
import { hostPathMounts, normalizeHostPath } from './host-path.ts';

/**
 * Where distributions put the container runtime API sockets, in canonical form (see `canonicalHostPath`): a mount
 * of a directory above one of these exposes it.
 */
const RUNTIME_SOCKETS = [
  '/run/containerd/containerd.sock',
  '/run/docker.sock',
  '/run/docker/containerd/containerd.sock',
  '/run/crio/crio.sock',
  '/run/cri-dockerd.sock',
  '/run/dockershim.sock',
  '/run/k3s/containerd/containerd.sock',
  '/run/k0s/containerd.sock',
  '/run/podman/podman.sock',
  '/var/snap/microk8s/common/run/containerd.sock',
];

/**
 * The file names the runtimes give their API sockets. A host path ending in one of them is taken as that runtime's
 * socket wherever it lies: installations move them (`--host`, `--address`, rootless Docker's
 * `/run/user/<uid>/docker.sock`), and no other file on a node is named so.
 */
const RUNTIME_SOCKET_NAMES = new Set([
  'docker.sock',
  'containerd.sock',
  'crio.sock',
  'cri-dockerd.sock',
  'dockershim.sock',
  'podman.sock',
]);

/**
 * The host path as the node resolves it: `.` and `..` segments, repeated and trailing slashes removed, and
 * `/var/run` spelled `/run`, since on current distributions /var/run is a symlink to /run.
 */
function canonicalHostPath(hostPath: string): string {
  const segments: string[] = [];
  for (const segment of normalizeHostPath(hostPath).split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  if (segments[0] === 'var' && segments[1] === 'run') segments.splice(0, 2, 'run');
  return `/${segments.join('/')}`;
}

function isWithin(path: string, base: string): boolean {
  return base === '/' || path === base || path.startsWith(`${base}/`);
}

/**
 * The part of the node a mount exposes: the volume's path, narrowed by the mount's `subPath` (or a `subPathExpr`
 * without variables; one with `$(VAR)` is taken as the whole volume). Undefined when the subPath leaves the volume
 * through the /var/run symlink (`/var` + `run/docker.sock`): the kubelet refuses such a mount.
 */
function mountedHostPath(
  volumePath: string,
  mount: Record<string, unknown>,
): { path: string; subPath?: string } | undefined {
  const subPath = [mount.subPath, mount.subPathExpr].find(
    (value): value is string => typeof value === 'string' && value.trim() !== '' && !value.includes('$('),
  );
  if (subPath === undefined) return { path: volumePath };
  const path = `${volumePath}/${subPath}`;
  if (!isWithin(canonicalHostPath(path), canonicalHostPath(volumePath))) return undefined;
  return { path, subPath };
}

/** The socket a host path exposes: the socket itself or a directory above it (up to `/`). */
function exposedSocket(hostPath: string): { socket: string; path: string } | undefined {
  if (hostPath.trim() === '') return undefined;
  const path = canonicalHostPath(hostPath);
  // Through a mount of /var, the /var/run symlink resolves inside the container, not to the host's /run.
  if (path === '/var') return undefined;
  if (RUNTIME_SOCKET_NAMES.has(path.slice(path.lastIndexOf('/') + 1))) return { socket: path, path };
  const socket = RUNTIME_SOCKETS.find((candidate) => isWithin(candidate, path));
  return socket === undefined ? undefined : { socket, path };
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
  // /var/run is a symlink to /run on the node: either spelling, and any redundant slashes or dots, reaches the socket.
  ...[
    '/var/run/k3s/containerd/containerd.sock',
    '/run/dockershim.sock',
    '/var//run/./crio/crio.sock',
    '/var/snap/microk8s/common/run/containerd.sock',
    // Recognised by name where an installation moved it: k0s, rootless Docker, a custom --host.
    '/run/k0s/containerd.sock',
    '/run/user/1000/docker.sock',
    '/var/run/containerd.sock',
    '/opt/docker/run/docker.sock',
  ].map((path) =>
    deployment('socket', {
      volumes: [{ name: 'sock', hostPath: { path, type: 'Socket' } }],
      containers: [
        { name: 'app', image: 'app:1.0', volumeMounts: [{ name: 'sock', mountPath: '/run/runtime.sock' }] },
      ],
    }),
  ),
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
    'This rule flags each container that mounts a hostPath volume of a runtime socket or of a directory containing one at its usual place (`/var/run`, `/run/containerd`, `/run/k0s`, `/`), with `/var/run` and `/run` treated alike (one is a symlink to the other on the node); the microk8s socket under `/var/snap/microk8s` is included. ' +
    "A host path whose file name is a runtime socket's (`docker.sock`, `containerd.sock`, `crio.sock`, `cri-dockerd.sock`, `dockershim.sock`, `podman.sock`) is flagged wherever it lies, as rootless Docker and custom `--host` settings move it. " +
    'A `subPath` narrows the mount to that part of the volume, so `/run` mounted with `subPath: app` is not flagged. ' +
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
    for (const { container, index, mount, volumeName, hostPath } of hostPathMounts(view)) {
      if (hostPath.trim() === '') continue;
      const mounted = mountedHostPath(hostPath, mount);
      const exposed = mounted && exposedSocket(mounted.path);
      if (!mounted || exposed === undefined) continue;
      const volume =
        mounted.subPath === undefined
          ? `volume "${volumeName}"`
          : `volume "${volumeName}", subPath "${mounted.subPath}"`;
      out.push({
        message:
          exposed.path === exposed.socket
            ? `container "${container.name}" mounts the container runtime socket ${normalizeHostPath(mounted.path)} (${volume})`
            : `container "${container.name}" mounts host directory ${mounted.subPath === undefined ? hostPath : normalizeHostPath(mounted.path)} (${volume}), which contains container runtime sockets such as ${exposed.socket}`,
        path: [...container.path, 'volumeMounts', index],
        container: container.name,
      });
    }
    return out;
  },
});

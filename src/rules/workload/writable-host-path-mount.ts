import type { KubeObject } from '../../core/kube-object.ts';
import { podTemplateOf, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import { deployment } from '../example-objects.ts';
import { hostPathMounts } from './host-path.ts';

const LOGS = [{ name: 'logs', hostPath: { path: '/var/log', type: 'Directory' } }];

const PASS: KubeObject[] = [
  deployment('collector', {
    volumes: LOGS,
    containers: [
      {
        name: 'collector',
        image: 'fluent-bit:3.0',
        volumeMounts: [{ name: 'logs', mountPath: '/var/log', readOnly: true }],
      },
    ],
  }),
  // A hostPath volume no container mounts exposes nothing.
  deployment('unused', { volumes: LOGS, containers: [{ name: 'app', image: 'web:1.0' }] }),
];

const FAIL: KubeObject[] = [
  deployment('collector', {
    volumes: LOGS,
    initContainers: [
      { name: 'setup', image: 'busybox:1.36', volumeMounts: [{ name: 'logs', mountPath: '/host-logs' }] },
    ],
    containers: [
      {
        name: 'collector',
        image: 'fluent-bit:3.0',
        volumeMounts: [{ name: 'logs', mountPath: '/var/log', readOnly: false }],
      },
    ],
  }),
];

export default defineRule({
  id: 'writable-host-path-mount',
  title: 'hostPath volume mounted writable',
  severity: 'high',
  domain: 'workload',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'cis-k8s': ['5.2.12'], 'nsa-cisa': ['pod-security'], 'mitre-attack': ['T1611'] },
  description:
    "A container that can write to a directory of its node can plant files the node or other pods will use (cron entries, kubelet configuration, binaries, other pods' volumes): a common way to escape to the host. " +
    'The Pod Security Standards already flag hostPath volumes as such; this rule finds the dangerous subset, each `volumeMount` of a hostPath volume without `readOnly: true`, in every container type.',
  remediation:
    'Mount the volume with `readOnly: true` when the container only reads (log and metrics collectors), and prefer other volume types (`emptyDir`, PersistentVolumes, CSI) when it writes.',
  references: [
    'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (object) => {
    const view = podTemplateOf(object);
    if (!view) return [];
    const out: Violation[] = [];
    for (const { container, index, mount, volumeName, hostPath } of hostPathMounts(view)) {
      if (mount.readOnly === true) continue;
      out.push({
        message: `container "${container.name}" mounts hostPath volume "${volumeName}" (${hostPath || 'no path'}) writable: volumeMounts[${index}].readOnly is not true`,
        path: [...container.path, 'volumeMounts', index, 'readOnly'],
        container: container.name,
      });
    }
    return out;
  },
});

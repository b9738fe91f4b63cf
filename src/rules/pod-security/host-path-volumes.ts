// Baseline "HostPath Volumes": no volume may mount a path of the node.

import { WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import {
  asArray,
  asRecord,
  inspectPod,
  isSet,
  PSS_REFERENCES,
  podViolation,
  quote,
} from './pss-check-helpers.ts';
import { examplePod } from './pss-example-pods.ts';

export default defineRule({
  id: 'host-path-volumes',
  title: 'HostPath volume',
  severity: 'high',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  // Restricted replaces this control with the volume-types allow-list, which also forbids hostPath.
  frameworks: {
    'pss-baseline': ['host-path-volumes'],
    'cis-k8s': ['5.2.12'],
    'nsa-cisa': ['pod-security'],
  },
  description:
    'A hostPath volume mounts a file or directory of the node into the pod: with it a container can read ' +
    "secrets of other pods, the kubelet's credentials or the container runtime socket, and often escape to " +
    'the node. The baseline level forbids hostPath volumes.',
  remediation:
    'Replace the `hostPath` volume with an `emptyDir`, a `configMap`/`secret`, or a PersistentVolumeClaim. ' +
    'Node agents that need host files belong in a dedicated, privileged namespace.',
  references: PSS_REFERENCES,
  examples: {
    pass: [
      examplePod('empty-dir', (pod) => {
        pod.spec.volumes = [{ name: 'scratch', emptyDir: {} }];
      }),
    ],
    fail: [
      examplePod('host-path', (pod) => {
        pod.spec.volumes = [{ name: 'docker-socket', hostPath: { path: '/var/run/docker.sock' } }];
      }),
    ],
  },
  check: (object) =>
    inspectPod(object, (pod) => {
      const out: Violation[] = [];
      asArray(pod.spec.volumes).forEach((volume, index) => {
        const record = asRecord(volume);
        if (record && isSet(record.hostPath))
          out.push(
            podViolation(
              'hostPath volumes',
              `volume ${quote(record.name ?? `volumes[${index}]`)} uses hostPath`,
              [...pod.specPath, 'volumes', index, 'hostPath'],
            ),
          );
      });
      return out;
    }),
});

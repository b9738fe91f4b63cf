import type { KubeObject } from '../../core/kube-object.ts';
import { podTemplateOf, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { deployment } from '../example-objects.ts';

const PASS: KubeObject[] = [
  deployment('web', { shareProcessNamespace: false, containers: [{ name: 'app', image: 'web:1.0' }] }),
  deployment('plain', { containers: [{ name: 'app', image: 'web:1.0' }] }),
];

const FAIL: KubeObject[] = [
  deployment('web', {
    shareProcessNamespace: true,
    containers: [
      { name: 'app', image: 'web:1.0' },
      { name: 'sidecar', image: 'sidecar:1.0' },
    ],
  }),
];

export default defineRule({
  id: 'share-process-namespace',
  title: 'Containers share the pod process namespace',
  severity: 'medium',
  domain: 'workload',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'nsa-cisa': ['pod-security'] },
  description:
    'With `shareProcessNamespace: true` every container of the pod sees and can signal the processes of the others, and can read their environment and filesystem through `/proc/<pid>/root` and `/proc/<pid>/environ` ' +
    'when running as the same user; a compromise of one container (often a less-maintained sidecar) then reaches the secrets of all of them.',
  remediation:
    'Remove `shareProcessNamespace` (it defaults to false). For debugging, attach an ephemeral container with `kubectl debug --target=<container>` instead, which shares only the target container namespace.',
  references: ['https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/'],
  examples: { pass: PASS, fail: FAIL },
  check: (object) => {
    const view = podTemplateOf(object);
    if (view?.spec.shareProcessNamespace !== true) return [];
    return [
      {
        message:
          'spec.shareProcessNamespace is true: every container can see and signal the processes of the others',
        path: [...view.specPath, 'shareProcessNamespace'],
      },
    ];
  },
});

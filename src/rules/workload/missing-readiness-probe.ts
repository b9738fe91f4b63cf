import type { KubeObject } from '../../core/kube-object.ts';
import { containersOf, podTemplateOf } from '../../core/pod-spec.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import { deployment } from '../example-objects.ts';
import { declaresPorts, LONG_RUNNING_KINDS, selectedByService } from './long-running.ts';
import { describeContainer, isSidecar, runsForPodLifetime } from './sidecar.ts';

const PROBE = { httpGet: { path: '/ready', port: 8080 } };

const PASS: KubeObject[] = [
  deployment('web', {
    containers: [{ name: 'app', image: 'web:1.0', ports: [{ containerPort: 8080 }], readinessProbe: PROBE }],
  }),
  // A queue worker that serves nothing: readiness would gate no traffic.
  deployment('worker', { containers: [{ name: 'worker', image: 'worker:1.0' }] }),
  // A plain init container runs to completion before the pod is ready.
  deployment('migrate', {
    initContainers: [{ name: 'migrate', image: 'migrate:1.0', ports: [{ containerPort: 9000 }] }],
    containers: [{ name: 'worker', image: 'worker:1.0' }],
  }),
];

const FAIL: KubeObject[] = [
  deployment('web', {
    containers: [
      { name: 'app', image: 'web:1.0', ports: [{ containerPort: 8080 }] },
      { name: 'log-shipper', image: 'fluent-bit:3.0' },
    ],
  }),
  // A serving sidecar (restartable init container) gates pod readiness like a regular container.
  deployment('mesh', {
    initContainers: [
      { name: 'proxy', image: 'proxy:1.0', restartPolicy: 'Always', ports: [{ containerPort: 15001 }] },
    ],
    containers: [{ name: 'worker', image: 'worker:1.0' }],
  }),
];

export default defineRule({
  id: 'missing-readiness-probe',
  title: 'Serving container without a readiness probe',
  severity: 'low',
  domain: 'workload',
  kinds: [...LONG_RUNNING_KINDS],
  phase: 'deploy',
  layer: 'container',
  frameworks: {},
  description:
    'Without a readiness probe a container receives Service traffic as soon as it starts, before it can answer, and keeps receiving it while overloaded; rollouts then drop requests. ' +
    'Only containers that serve are checked: a regular or sidecar container (init container with `restartPolicy: Always`) of a long-running controller that declares a `containerPort`, or the single regular container of a pod template that a Service in the scanned objects selects. ' +
    'Other init containers, ephemeral containers, Jobs, CronJobs and bare Pods are not checked.',
  remediation:
    'Add a `readinessProbe` that succeeds only when the container can serve requests (for example an HTTP `/ready` endpoint).',
  references: [
    'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (object, context) => {
    const view = podTemplateOf(object);
    if (!view) return [];
    const checked = containersOf(view).filter(runsForPodLifetime);
    const regular = checked.filter((container) => !isSidecar(container));
    const out: Violation[] = [];
    for (const container of checked) {
      const probe = container.container.readinessProbe;
      if (probe !== undefined && probe !== null) continue;
      // The Service lookup is the costly part: asked only for a sole container that declares no port.
      const serves =
        declaresPorts(container) ||
        (regular.length === 1 &&
          regular[0] === container &&
          selectedByService(context.inventory, object, view));
      if (!serves) continue;
      out.push({
        message: `${describeContainer(container)} serves traffic but has no readinessProbe`,
        path: [...container.path, 'readinessProbe'],
        container: container.name,
      });
    }
    return out;
  },
});

import type { KubeObject } from '../../core/kube-object.ts';
import { containersOf, podTemplateOf } from '../../core/pod-spec.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import { deployment } from '../example-objects.ts';
import { declaresPorts, LONG_RUNNING_KINDS, selectedByService } from './long-running.ts';

const PROBE = { httpGet: { path: '/ready', port: 8080 } };

const PASS: KubeObject[] = [
  deployment('web', {
    containers: [{ name: 'app', image: 'web:1.0', ports: [{ containerPort: 8080 }], readinessProbe: PROBE }],
  }),
  // A queue worker that serves nothing: readiness would gate no traffic.
  deployment('worker', { containers: [{ name: 'worker', image: 'worker:1.0' }] }),
];

const FAIL: KubeObject[] = [
  deployment('web', {
    containers: [
      { name: 'app', image: 'web:1.0', ports: [{ containerPort: 8080 }] },
      { name: 'log-shipper', image: 'fluent-bit:3.0' },
    ],
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
    'Only containers that serve are checked: a regular container of a long-running controller that declares a `containerPort`, or the single regular container of a pod template that a Service in the scanned objects selects. ' +
    'Init containers, ephemeral containers, Jobs, CronJobs and bare Pods are not checked.',
  remediation:
    'Add a `readinessProbe` that succeeds only when the container can serve requests (for example an HTTP `/ready` endpoint).',
  references: [
    'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (object, context) => {
    const view = podTemplateOf(object);
    if (!view) return [];
    const regular = containersOf(view).filter((container) => container.type === 'containers');
    const out: Violation[] = [];
    for (const container of regular) {
      const probe = container.container.readinessProbe;
      if (probe !== undefined && probe !== null) continue;
      // The Service lookup is the costly part: asked only for a sole container that declares no port.
      const serves =
        declaresPorts(container) ||
        (regular.length === 1 && selectedByService(context.inventory, object, view));
      if (!serves) continue;
      out.push({
        message: `container "${container.name}" serves traffic but has no readinessProbe`,
        path: [...container.path, 'readinessProbe'],
        container: container.name,
      });
    }
    return out;
  },
});

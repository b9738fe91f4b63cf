import type { KubeObject } from '../../core/kube-object.ts';
import { containerViolations } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { deployment } from '../example-objects.ts';
import { LONG_RUNNING_KINDS } from './long-running.ts';
import { describeContainer, runsForPodLifetime } from './sidecar.ts';

const PROBE = { httpGet: { path: '/healthz', port: 8080 } };

const PASS: KubeObject[] = [
  deployment('web', {
    // Init containers run to completion: no probe expected.
    initContainers: [{ name: 'migrate', image: 'migrate:1.0' }],
    containers: [{ name: 'app', image: 'web:1.0', livenessProbe: PROBE }],
  }),
  deployment('mesh', {
    initContainers: [{ name: 'proxy', image: 'proxy:1.0', restartPolicy: 'Always', livenessProbe: PROBE }],
    containers: [{ name: 'app', image: 'web:1.0', livenessProbe: PROBE }],
  }),
];

const FAIL: KubeObject[] = [
  deployment('web', { containers: [{ name: 'app', image: 'web:1.0', readinessProbe: PROBE }] }),
  // A sidecar (restartable init container) runs for the pod's life and can hang like any container.
  deployment('mesh', {
    initContainers: [{ name: 'proxy', image: 'proxy:1.0', restartPolicy: 'Always' }],
    containers: [{ name: 'app', image: 'web:1.0', livenessProbe: PROBE }],
  }),
];

export default defineRule({
  id: 'missing-liveness-probe',
  title: 'Container without a liveness probe',
  severity: 'low',
  domain: 'workload',
  kinds: LONG_RUNNING_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: {},
  description:
    'Without a liveness probe a container that hangs (deadlock, exhausted thread pool) keeps running and keeps receiving traffic until someone notices; with one, the kubelet restarts it. ' +
    'Only the regular and sidecar containers (init containers with `restartPolicy: Always`) of long-running controllers (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Argo Rollout, OpenShift DeploymentConfig) are checked: other init containers run to completion, ephemeral containers cannot have probes, and Jobs, CronJobs and bare Pods are not expected to have them.',
  remediation:
    'Add a `livenessProbe` that checks the process is able to make progress (an HTTP endpoint, a TCP socket, gRPC health or a command), with a `startupProbe` for slow starters so the liveness probe does not kill them during start-up. ' +
    'Keep it cheap and independent of downstream services, or it will restart healthy containers when a dependency fails.',
  references: [
    'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (object) =>
    containerViolations(object, (container, out) => {
      if (!runsForPodLifetime(container)) return;
      const probe = container.container.livenessProbe;
      if (probe !== undefined && probe !== null) return;
      out.push({
        message: `${describeContainer(container)} has no livenessProbe`,
        path: [...container.path, 'livenessProbe'],
        container: container.name,
      });
    }),
});

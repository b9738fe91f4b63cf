// Baseline "Host Probes / Lifecycle Hooks" (v1.34+): probes and lifecycle handlers may not target another host.
import type { FieldPath } from '../../core/kube-object.ts';
import { getPath } from '../../core/kube-object.ts';
import { WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { atLeast } from '../../core/pss-version.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import {
  containerViolation,
  describeContainer,
  inspectPod,
  isSet,
  PSS_REFERENCES,
  quote,
} from './pss-check-helpers.ts';
import { examplePod } from './pss-example-pods.ts';

const CHECKED_FROM = 34;

/** Handlers that can name a host, relative to the container. */
const HANDLERS: readonly FieldPath[] = [
  ['livenessProbe'],
  ['readinessProbe'],
  ['startupProbe'],
  ['lifecycle', 'postStart'],
  ['lifecycle', 'preStop'],
];
const ACTIONS = ['httpGet', 'tcpSocket'] as const;
/** Every `<handler>.<action>.host` path, built once: the check runs for every container of every workload. */
const HOST_FIELDS: readonly FieldPath[] = HANDLERS.flatMap((handler) =>
  ACTIONS.map((action) => [...handler, action, 'host']),
);

export default defineRule({
  id: 'host-probes-lifecycle',
  title: 'Probe or lifecycle hook targets a host',
  severity: 'high',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: {
    'pss-baseline': ['host-probes-lifecycle-hooks'],
    'pss-restricted': ['host-probes-lifecycle-hooks'],
    'nsa-cisa': ['pod-security'],
  },
  description:
    'The kubelet runs HTTP and TCP probes and lifecycle hooks from the node. A `host` field sends those ' +
    'requests to an arbitrary address with the network position of the node, which can reach services the ' +
    'pod itself could not (a server-side request forgery through the kubelet). From policy v1.34 the baseline ' +
    'level forbids a non-empty `host` in `httpGet` and `tcpSocket` of liveness, readiness and startup probes ' +
    'and of `postStart`/`preStop` hooks, for every container.',
  remediation:
    "Remove the `host` field from the probe or lifecycle handler: the kubelet then targets the pod's own IP. " +
    'To check a dependency, probe an endpoint of the application that checks it.',
  references: PSS_REFERENCES,
  examples: {
    pass: [
      examplePod('local-probe', (pod) => {
        pod.spec.containers[0]!.livenessProbe = { httpGet: { path: '/healthz', port: 8080 } };
      }),
    ],
    fail: [
      examplePod('host-probe', (pod) => {
        pod.spec.containers[0]!.readinessProbe = {
          httpGet: { host: '169.254.169.254', path: '/', port: 80 },
        };
      }),
      examplePod('host-hook', (pod) => {
        pod.spec.containers[0]!.lifecycle = { preStop: { tcpSocket: { host: '10.0.0.1', port: 9000 } } };
      }),
    ],
  },
  check: (object, context) =>
    inspectPod(object, (_pod, containers) => {
      if (!atLeast(context.pssVersion, CHECKED_FROM)) return [];
      const out: Violation[] = [];
      for (const container of containers)
        for (const field of HOST_FIELDS) {
          const host = getPath(container.container, field);
          if (isSet(host) && host !== '')
            out.push(
              containerViolation(
                container,
                'probe or lifecycle host',
                `${describeContainer(container)} uses probe or lifecycle host ${quote(host)}`,
                [...container.path, ...field],
              ),
            );
        }
      return out;
    }),
});

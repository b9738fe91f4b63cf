// Baseline "Seccomp": a seccomp profile, where set, must not be Unconfined (annotations before v1.19, fields after).
import { WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { inspectPod } from './pss-check-helpers.ts';
import { appSecurityContext, examplePod } from './pss-example-pods.ts';
import { baselineSeccompViolations, SECCOMP_REFERENCES } from './seccomp-checks.ts';

export default defineRule({
  id: 'seccomp-unconfined',
  title: 'Seccomp disabled',
  severity: 'high',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  // Restricted replaces this control with seccomp-profile-required (which applies this check before v1.19).
  frameworks: { 'pss-baseline': ['seccomp'], 'cis-k8s': ['5.7.2'], 'nsa-cisa': ['pod-security'] },
  description:
    'Seccomp filters the system calls a container may make; the `Unconfined` profile turns the filter off and ' +
    'exposes the whole kernel attack surface. The baseline level accepts only `RuntimeDefault` and `Localhost` ' +
    'profiles where one is set: from policy v1.19 in `securityContext.seccompProfile` of the pod and of every ' +
    'container, before v1.19 in the `seccomp.security.alpha.kubernetes.io/pod` and ' +
    '`container.seccomp.security.alpha.kubernetes.io/<container>` annotations (`runtime/default`, ' +
    '`docker/default` or `localhost/<profile>`).',
  remediation:
    'Set `securityContext.seccompProfile.type` to `RuntimeDefault` (or `Localhost` with a reviewed profile) ' +
    'instead of `Unconfined`, on the pod and on any container that overrides it, and remove `unconfined` ' +
    'seccomp annotations.',
  references: SECCOMP_REFERENCES,
  examples: {
    pass: [
      examplePod('runtime-default', (pod) => {
        appSecurityContext(pod).seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/app.json' };
      }),
    ],
    fail: [
      examplePod('container-unconfined', (pod) => {
        appSecurityContext(pod).seccompProfile = { type: 'Unconfined' };
      }),
      examplePod('pod-unconfined', (pod) => {
        pod.spec.securityContext!.seccompProfile = { type: 'Unconfined' };
      }),
    ],
  },
  check: (object, context) =>
    inspectPod(object, (pod, containers) => baselineSeccompViolations(pod, containers, context.pssVersion)),
});

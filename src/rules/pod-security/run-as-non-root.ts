// Restricted "Running as Non-root": runAsNonRoot=true on the pod or on every container.
import { containersOf, podTemplateOf, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { effectiveSecurityContext } from '../../core/security-context.ts';
import {
  checkRequiredSetting,
  containerViolation,
  describeContainer,
  inspectPod,
  isRelaxedUserNamespacePod,
  isSet,
  PSS_REFERENCES,
  podSecurityContext,
  podViolation,
} from './pss-check-helpers.ts';
import { appSecurityContext, examplePod } from './pss-example-pods.ts';
import { setField } from './pss-fix-helpers.ts';

const REASON = 'runAsNonRoot != true';

function forbidden(setter: string, value: unknown): string {
  return value === false
    ? `${setter} must not set securityContext.runAsNonRoot=false`
    : `${setter} must set securityContext.runAsNonRoot=true`;
}

export default defineRule({
  id: 'run-as-non-root',
  title: 'Container may run as root',
  severity: 'medium',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: {
    'pss-restricted': ['running-as-non-root'],
    'cis-k8s': ['5.2.7'],
    'nsa-cisa': ['pod-security'],
  },
  description:
    'Without `runAsNonRoot: true` the kubelet starts a container as root whenever its image says so, and root ' +
    'in a container is one kernel bug away from root on the node. The restricted level requires ' +
    '`securityContext.runAsNonRoot: true` on the pod, or on every container, init container and ephemeral ' +
    'container; no level allows setting it to `false`. From policy v1.35, pods with their own user namespace ' +
    '(`hostUsers: false`) are exempt, since root in them is unprivileged on the node; earlier policy versions ' +
    'check them as any pod.',
  remediation:
    'Set `spec.securityContext.runAsNonRoot: true` (and a non-zero `runAsUser` if the image does not declare ' +
    'a numeric non-root user), and remove any `runAsNonRoot: false`. ' +
    'The automatic fix (opt-in for the admission webhook: list the rule in `mutation.rules`) sets the pod-level ' +
    'field when a container leaves it unset, and replaces a `false` (the webhook only with `overrideExplicit`). ' +
    'It does not choose a user: a container whose image runs as root ' +
    'then fails to start (the kubelet refuses it) instead of running as root. It changes nothing when a ' +
    '`runAsUser: 0` (or Windows `runAsUserName: ContainerAdministrator`) is set, which the user chose explicitly.',
  references: PSS_REFERENCES,
  examples: {
    pass: [
      examplePod('container-non-root', (pod) => {
        delete pod.spec.securityContext!.runAsNonRoot;
        appSecurityContext(pod).runAsNonRoot = true;
      }),
    ],
    fail: [
      examplePod('non-root-unset', (pod) => {
        delete pod.spec.securityContext!.runAsNonRoot;
      }),
      examplePod('container-root-allowed', (pod) => {
        appSecurityContext(pod).runAsNonRoot = false;
      }),
    ],
  },
  check: (object, context) =>
    inspectPod(object, (pod, containers) => {
      if (isRelaxedUserNamespacePod(pod, context.pssVersion)) return [];
      return checkRequiredSetting(pod, containers, 'runAsNonRoot', (value) => value === true, {
        pod: (value, path) => podViolation(REASON, forbidden('pod', value), path),
        container: (container, value, path) =>
          containerViolation(container, REASON, forbidden(describeContainer(container), value), path),
        missing: (container, path) =>
          containerViolation(
            container,
            REASON,
            `pod or ${describeContainer(container)} must set securityContext.runAsNonRoot=true`,
            path,
          ),
      });
    }),
  fix: (object, context) => {
    const pod = podTemplateOf(object);
    if (!pod || isRelaxedUserNamespacePod(pod, context.pssVersion)) return [];
    const containers = containersOf(pod);
    const contexts = containers.map((container) => effectiveSecurityContext(pod, container));
    // An explicit root user (UID 0, or Windows' ContainerAdministrator) is a choice the kubelet would refuse under
    // runAsNonRoot: leave it to validation.
    const explicitRoot = (context: (typeof contexts)[number]): boolean => {
      const windows = context.get('windowsOptions').value as { runAsUserName?: unknown } | undefined;
      return context.get('runAsUser').value === 0 || windows?.runAsUserName === 'ContainerAdministrator';
    };
    if (contexts.some(explicitRoot)) return [];
    const podValue = podSecurityContext(pod)?.runAsNonRoot;
    const operations = [];
    // The pod-level field covers every container that leaves it unset; a `false` anywhere is replaced, which the
    // webhook does only with `overrideExplicit`.
    if (
      podValue !== true &&
      (isSet(podValue) || contexts.some((context) => context.get('runAsNonRoot').from === 'unset'))
    )
      operations.push(...setField(object, pod.specPath, ['securityContext', 'runAsNonRoot'], true));
    for (const [index, container] of containers.entries()) {
      const own = contexts[index]?.get('runAsNonRoot');
      if (own?.from === 'container' && own.value !== true)
        operations.push(...setField(object, container.path, ['securityContext', 'runAsNonRoot'], true));
    }
    return operations;
  },
});

// Restricted "Privilege Escalation" (v1.8+): every container must set allowPrivilegeEscalation=false.
import { containersOf, isWindowsPod, podTemplateOf, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { atLeast } from '../../core/pss-version.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import { effectiveSecurityContext } from '../../core/security-context.ts';
import { capabilitiesOf } from './capability-checks.ts';
import {
  asArray,
  containerViolation,
  describeContainer,
  inspectPod,
  isExemptWindowsPod,
  PSS_REFERENCES,
} from './pss-check-helpers.ts';
import { appSecurityContext, examplePod } from './pss-example-pods.ts';
import { setField } from './pss-fix-helpers.ts';

const CHECKED_FROM = 8;

export default defineRule({
  id: 'privilege-escalation',
  title: 'Privilege escalation allowed',
  severity: 'medium',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: {
    'pss-restricted': ['privilege-escalation'],
    'cis-k8s': ['5.2.6'],
    'nsa-cisa': ['pod-security'],
  },
  description:
    'Unless `allowPrivilegeEscalation` is `false`, a process in the container can gain more privileges than ' +
    'its parent, through setuid binaries or file capabilities (the `no_new_privs` flag is not set). From policy ' +
    'v1.8 the restricted level requires every container, init container and ephemeral container to set ' +
    '`securityContext.allowPrivilegeEscalation: false`; from v1.25 Windows pods (`spec.os.name: windows`) are ' +
    'exempt.',
  remediation: 'Set `securityContext.allowPrivilegeEscalation: false` on every container.',
  references: PSS_REFERENCES,
  examples: {
    pass: [examplePod('no-escalation')],
    fail: [
      examplePod('escalation-unset', (pod) => {
        delete appSecurityContext(pod).allowPrivilegeEscalation;
      }),
      examplePod('escalation-true', (pod) => {
        appSecurityContext(pod).allowPrivilegeEscalation = true;
      }),
    ],
  },
  check: (object, context) =>
    inspectPod(object, (pod, containers) => {
      if (!atLeast(context.pssVersion, CHECKED_FROM)) return [];
      if (isExemptWindowsPod(pod, context.pssVersion)) return [];
      const out: Violation[] = [];
      for (const container of containers) {
        const setting = effectiveSecurityContext(pod, container).get('allowPrivilegeEscalation');
        if (setting.value !== false)
          out.push(
            containerViolation(
              container,
              'allowPrivilegeEscalation != false',
              `${describeContainer(container)} must set securityContext.allowPrivilegeEscalation=false`,
              setting.path,
            ),
          );
      }
      return out;
    }),
  // Sets the field to false, except where the API server would reject that (a privileged container, or one that
  // adds CAP_SYS_ADMIN) and on Windows pods, which may not set it.
  fix: (object) => {
    const pod = podTemplateOf(object);
    if (!pod || isWindowsPod(pod)) return [];
    return containersOf(pod).flatMap((container) => {
      const context = effectiveSecurityContext(pod, container);
      if (context.get('allowPrivilegeEscalation').value === false) return [];
      if (context.get('privileged').value === true) return [];
      const added = asArray(capabilitiesOf(container)?.add);
      if (added.includes('SYS_ADMIN') || added.includes('CAP_SYS_ADMIN')) return [];
      return setField(object, container.path, ['securityContext', 'allowPrivilegeEscalation'], false);
    });
  },
});

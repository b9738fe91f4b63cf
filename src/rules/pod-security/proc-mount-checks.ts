// The /proc mount type check shared by the baseline control and its restricted counterpart.
import type { ContainerView, PodTemplateView } from '../../core/pod-spec.ts';
import type { Violation } from '../../core/rule.ts';
import { effectiveSecurityContext } from '../../core/security-context.ts';
import { containerViolation, describeContainer, isSet, quote } from './pss-check-helpers.ts';

/** Every container whose procMount is set to anything but `Default`. */
export function procMountViolations(pod: PodTemplateView, containers: readonly ContainerView[]): Violation[] {
  const out: Violation[] = [];
  for (const container of containers) {
    const procMount = effectiveSecurityContext(pod, container).get('procMount');
    if (isSet(procMount.value) && procMount.value !== 'Default')
      out.push(
        containerViolation(
          container,
          'procMount',
          `${describeContainer(container)} must not set securityContext.procMount to ${quote(procMount.value)}`,
          procMount.path,
        ),
      );
  }
  return out;
}

// Capability checks shared by the baseline control and the restricted control that replaces it.
import type { ContainerView } from '../../core/pod-spec.ts';
import type { Violation } from '../../core/rule.ts';
import {
  asArray,
  asRecord,
  containerSecurityContextPath,
  containerViolation,
  describeContainer,
  quote,
} from './pss-check-helpers.ts';

/** Capabilities the baseline level lets a container add: the container runtimes' default set, without NET_RAW. */
export const BASELINE_ALLOWED_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** The container's own `securityContext.capabilities` (capabilities are never inherited from the pod). */
export function capabilitiesOf(container: ContainerView): Record<string, unknown> | undefined {
  return asRecord(asRecord(container.container.securityContext)?.capabilities);
}

/** Distinct entries of `capabilities.add` that `isAllowed` rejects, in order. */
export function forbiddenAdded(
  container: ContainerView,
  isAllowed: (capability: unknown) => boolean,
): unknown[] {
  const forbidden: unknown[] = [];
  for (const capability of asArray(capabilitiesOf(container)?.add))
    if (!isAllowed(capability) && !forbidden.includes(capability)) forbidden.push(capability);
  return forbidden;
}

export function addViolation(
  container: ContainerView,
  forbidden: readonly unknown[],
  reason: string,
): Violation {
  return containerViolation(
    container,
    reason,
    `${describeContainer(container)} must not include ${forbidden.map(quote).join(', ')} in securityContext.capabilities.add`,
    containerSecurityContextPath(container, 'capabilities', 'add'),
  );
}

/** Baseline: added capabilities must come from the default set. */
export function baselineCapabilityViolations(containers: readonly ContainerView[]): Violation[] {
  const out: Violation[] = [];
  for (const container of containers) {
    const forbidden = forbiddenAdded(
      container,
      (capability) => typeof capability === 'string' && BASELINE_ALLOWED_CAPABILITIES.has(capability),
    );
    if (forbidden.length > 0) out.push(addViolation(container, forbidden, 'non-default capabilities'));
  }
  return out;
}

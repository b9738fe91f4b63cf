// What Palisade's detection state adds to one event before rules look at it: facts Falco's stateless
// engine cannot know (the target pod's spec, bursts, recent bindings, the power of a ServiceAccount).
import type { PodProfile } from './pod-profile.ts';

export interface EventFacts {
  /** True for the first response-carrying stage (ResponseStarted/ResponseComplete/Panic) of a request. */
  firstResponse: boolean;
  /** For requests on a pod (or its subresources): what is known of the pod. */
  targetPod: PodProfile | undefined;
  /** Set on the event that takes an identity's Secret reads in the window to the burst threshold. */
  secretReadBurst: number | undefined;
  /** The powerful binding created recently for this identity, on the identity's first request after it. */
  recentPowerfulBinding: string | undefined;
  /** For (Cluster)RoleBinding writes: why the role bound is powerful. */
  boundRolePower: string | undefined;
  /** For ServiceAccount token requests: the binding that makes the ServiceAccount powerful. */
  serviceAccountPower: string | undefined;
  /** The first source IP outside the configured ranges (only when ranges are configured). */
  unexpectedSourceIp: string | undefined;
}

export const NO_FACTS: EventFacts = {
  firstResponse: true,
  targetPod: undefined,
  secretReadBurst: undefined,
  recentPowerfulBinding: undefined,
  boundRolePower: undefined,
  serviceAccountPower: undefined,
  unexpectedSourceIp: undefined,
};

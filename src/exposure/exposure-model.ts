// Facts about workloads reachable from outside the cluster, each with the path of objects that exposes it.
import type { ObjectRef } from '../core/kube-object.ts';
import type { ConnectionSet } from '../netpol/connection-set.ts';

export type ExposureKind =
  | 'node-port'
  | 'load-balancer'
  | 'external-ip'
  | 'ingress'
  | 'gateway-route'
  | 'host-network'
  | 'host-port';

/** One hop from outside toward the workload: the object and what it does there. */
export interface ExposureStep {
  ref: ObjectRef;
  detail: string;
}

/** What NetworkPolicy makes of traffic from outside addresses on the exposed ports (Service exposures only). */
export interface PolicyEffect {
  verdict: 'not-isolated' | 'open' | 'restricted' | 'blocked';
  /** Address ranges (and connections) the workload's ingress policies admit, when restricted. */
  detail: string;
}

export interface ExposureFact {
  kind: ExposureKind;
  /** The workload's `Kind/namespace/name`, as the reachability engine names it. */
  workload: string;
  workloadRef: ObjectRef;
  /** From the outside inward; the last step is the workload. */
  path: readonly ExposureStep[];
  /** Ports of the workload the path delivers to. */
  ports: ConnectionSet;
  policy?: PolicyEffect;
  /** What the analysis assumed or could not know (a missing Gateway, an internal load balancer…). */
  notes: readonly string[];
}

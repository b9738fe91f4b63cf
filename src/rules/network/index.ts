// Explicit registry of the network rules: one import and one list entry per rule.
import type { Rule } from '../../core/rule.ts';
import ingressWithoutTls from './ingress-without-tls.ts';
import loadBalancerService from './load-balancer-service.ts';
import missingNetworkPolicy from './missing-network-policy.ts';
import nodePortService from './node-port-service.ts';
import serviceExternalIps from './service-external-ips.ts';

export const networkRules: readonly Rule[] = [
  ingressWithoutTls,
  loadBalancerService,
  missingNetworkPolicy,
  nodePortService,
  serviceExternalIps,
];

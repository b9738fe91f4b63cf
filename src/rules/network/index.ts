// Explicit registry of the network rules: one import and one list entry per rule.
import type { Rule } from '../../core/rule.ts';
import ingressWithoutTls from './ingress-without-tls.ts';
import loadBalancerService from './load-balancer-service.ts';
import missingNetworkPolicy from './missing-network-policy.ts';
import namespaceWithoutDefaultDenyEgress from './namespace-without-default-deny-egress.ts';
import namespaceWithoutDefaultDenyIngress from './namespace-without-default-deny-ingress.ts';
import networkPolicyAllowsAll from './network-policy-allows-all.ts';
import nodePortService from './node-port-service.ts';
import serviceExternalIps from './service-external-ips.ts';

export const networkRules: readonly Rule[] = [
  ingressWithoutTls,
  loadBalancerService,
  missingNetworkPolicy,
  namespaceWithoutDefaultDenyEgress,
  namespaceWithoutDefaultDenyIngress,
  networkPolicyAllowsAll,
  nodePortService,
  serviceExternalIps,
];

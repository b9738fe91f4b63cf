// Explicit registry of the RBAC rules: one import and one list entry per rule.
import type { Rule } from '../../core/rule.ts';
import aggregatedRoleRiskyPower from './aggregated-role-risky-power.ts';
import anonymousAccessBinding from './anonymous-access-binding.ts';
import bindingMissingReference from './binding-missing-reference.ts';
import clusterAdminBinding from './cluster-admin-binding.ts';
import csrApprovalAccess from './csr-approval-access.ts';
import defaultServiceAccountBinding from './default-service-account-binding.ts';
import escalateBindImpersonate from './escalate-bind-impersonate.ts';
import nodeProxyAccess from './node-proxy-access.ts';
import persistentVolumeCreate from './persistent-volume-create.ts';
import podExecAccess from './pod-exec-access.ts';
import secretsReadAccess from './secrets-read-access.ts';
import serviceAccountTokenCreate from './service-account-token-create.ts';
import webhookConfigWrite from './webhook-config-write.ts';
import wildcardPermissions from './wildcard-permissions.ts';
import workloadCreateAccess from './workload-create-access.ts';

export const rbacRules: readonly Rule[] = [
  clusterAdminBinding,
  wildcardPermissions,
  escalateBindImpersonate,
  secretsReadAccess,
  podExecAccess,
  nodeProxyAccess,
  workloadCreateAccess,
  serviceAccountTokenCreate,
  csrApprovalAccess,
  webhookConfigWrite,
  persistentVolumeCreate,
  defaultServiceAccountBinding,
  anonymousAccessBinding,
  bindingMissingReference,
  aggregatedRoleRiskyPower,
];

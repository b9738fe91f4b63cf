// Explicit registry of the cluster (control-plane and posture) rules: one import and one list entry per rule.
import type { Rule } from '../../core/rule.ts';
import apiserverAdmissionPlugins from './apiserver-admission-plugins.ts';
import apiserverAnonymousAuth from './apiserver-anonymous-auth.ts';
import apiserverAuditLog from './apiserver-audit-log.ts';
import apiserverAuthorizationMode from './apiserver-authorization-mode.ts';
import apiserverEncryptionAtRest from './apiserver-encryption-at-rest.ts';
import apiserverEtcdTls from './apiserver-etcd-tls.ts';
import apiserverKubeletTls from './apiserver-kubelet-tls.ts';
import apiserverServiceAccountSettings from './apiserver-service-account-settings.ts';
import apiserverServiceExternalIps from './apiserver-service-external-ips.ts';
import apiserverTls from './apiserver-tls.ts';
import apiserverTokenAuthFile from './apiserver-token-auth-file.ts';
import auditPolicyCoverage from './audit-policy-coverage.ts';
import controlPlaneBindAddress from './control-plane-bind-address.ts';
import controlPlaneNotObservable from './control-plane-not-observable.ts';
import controlPlaneProfiling from './control-plane-profiling.ts';
import controllerManagerServiceAccounts from './controller-manager-service-accounts.ts';
import encryptionProviderOrder from './encryption-provider-order.ts';
import etcdTls from './etcd-tls.ts';
import kubeProxyMetricsBind from './kube-proxy-metrics-bind.ts';
import kubeSystemUnknownImage from './kube-system-unknown-image.ts';
import kubeletAnonymousAuth from './kubelet-anonymous-auth.ts';
import kubeletAuthorizationMode from './kubelet-authorization-mode.ts';
import kubeletCertificateRotation from './kubelet-certificate-rotation.ts';
import kubeletIptablesUtilChains from './kubelet-iptables-util-chains.ts';
import kubeletProtectKernelDefaults from './kubelet-protect-kernel-defaults.ts';
import kubeletReadOnlyPort from './kubelet-read-only-port.ts';
import kubeletTls from './kubelet-tls.ts';
import namespacePodSecurityLevel from './namespace-pod-security-level.ts';
import namespaceResourceLimits from './namespace-resource-limits.ts';
import nodeKubeletVersion from './node-kubelet-version.ts';
import runtimeClassMissing from './runtime-class-missing.ts';
import serviceAccountTokenSecret from './service-account-token-secret.ts';
import webhookFailOpen from './webhook-fail-open.ts';
import webhookNoSystemExemption from './webhook-no-system-exemption.ts';

export const clusterRules: readonly Rule[] = [
  apiserverAdmissionPlugins,
  apiserverAnonymousAuth,
  apiserverAuditLog,
  apiserverAuthorizationMode,
  apiserverEncryptionAtRest,
  apiserverEtcdTls,
  apiserverKubeletTls,
  apiserverServiceAccountSettings,
  apiserverServiceExternalIps,
  apiserverTls,
  apiserverTokenAuthFile,
  auditPolicyCoverage,
  controlPlaneBindAddress,
  controlPlaneNotObservable,
  controlPlaneProfiling,
  controllerManagerServiceAccounts,
  encryptionProviderOrder,
  etcdTls,
  kubeProxyMetricsBind,
  kubeSystemUnknownImage,
  kubeletAnonymousAuth,
  kubeletAuthorizationMode,
  kubeletCertificateRotation,
  kubeletIptablesUtilChains,
  kubeletProtectKernelDefaults,
  kubeletReadOnlyPort,
  kubeletTls,
  namespacePodSecurityLevel,
  namespaceResourceLimits,
  nodeKubeletVersion,
  runtimeClassMissing,
  serviceAccountTokenSecret,
  webhookFailOpen,
  webhookNoSystemExemption,
];

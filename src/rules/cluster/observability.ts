// Says which control-plane checks could not run on a cluster because their data is not reachable through the API,
// instead of letting their silence read as a pass. Used for cluster and snapshot inputs.
import type { EngineNotice } from '../../core/engine.ts';
import type { Inventory } from '../../core/inventory.ts';
import { apiGroupOf } from '../../core/pod-spec.ts';
import type { Location } from '../../core/source.ts';
import {
  type ComponentProcess,
  type ControlPlaneComponent,
  componentProcesses,
} from './control-plane-flags.ts';
import { kubeProxyObservable } from './kube-proxy-metrics-bind.ts';
import { podSecurityDefaults } from './pod-security-defaults.ts';

/** Rules that read each component's static pod. */
const RULES_BY_COMPONENT: Record<ControlPlaneComponent, readonly string[]> = {
  'kube-apiserver': [
    'apiserver-anonymous-auth',
    'apiserver-token-auth-file',
    'apiserver-authorization-mode',
    'apiserver-admission-plugins',
    'apiserver-audit-log',
    'apiserver-encryption-at-rest',
    'apiserver-tls',
    'apiserver-service-account-settings',
    'apiserver-etcd-tls',
    'apiserver-kubelet-tls',
    'control-plane-profiling',
  ],
  'kube-controller-manager': [
    'controller-manager-service-accounts',
    'control-plane-profiling',
    'control-plane-bind-address',
  ],
  'kube-scheduler': ['control-plane-profiling', 'control-plane-bind-address'],
  etcd: ['etcd-tls'],
};

/** Files a flag points to, which only a scan of the file itself can check. */
const REFERENCED_FILES: readonly {
  flag: string;
  rule: string;
  present: (inventory: Inventory) => boolean;
  what: string;
  /** What the scan does without the file. */
  consequence: string;
}[] = [
  {
    flag: 'encryption-provider-config',
    rule: 'encryption-provider-order',
    present: (inventory) => inventory.ofKind('EncryptionConfiguration').length > 0,
    what: 'which encryption provider comes first for Secrets',
    consequence: 'scan that file to run encryption-provider-order',
  },
  {
    flag: 'audit-policy-file',
    rule: 'audit-policy-coverage',
    present: (inventory) =>
      inventory.ofKind('Policy').some((entry) => apiGroupOf(entry.object.apiVersion) === 'audit.k8s.io'),
    what: 'the audit policy levels',
    consequence: 'scan that file to run audit-policy-coverage',
  },
  {
    flag: 'admission-control-config-file',
    rule: 'namespace-pod-security-level',
    // Only an inline PodSecurity configuration is read: one given by `path` is another file.
    present: (inventory) => podSecurityDefaults(inventory) !== undefined,
    what: 'Pod Security Admission defaults and exemptions',
    consequence:
      'namespace-pod-security-level assumes the built-in default (privileged) for namespaces without an enforce label',
  },
];

function processes(inventory: Inventory, component: ControlPlaneComponent): ComponentProcess[] {
  return inventory.ofKind('Pod').flatMap((entry) => componentProcesses(entry.object, component));
}

export function controlPlaneObservability(
  inventory: Inventory,
  selectedRuleIds: ReadonlySet<string>,
  location: Location,
): EngineNotice[] {
  const notices: EngineNotice[] = [];
  const found = new Map<ControlPlaneComponent, ComponentProcess[]>();
  for (const component of Object.keys(RULES_BY_COMPONENT) as ControlPlaneComponent[]) {
    const seen = processes(inventory, component);
    found.set(component, seen);
    const rules = RULES_BY_COMPONENT[component].filter((id) => selectedRuleIds.has(id));
    if (seen.length > 0 || rules.length === 0) continue;
    notices.push({
      severity: 'warning',
      message:
        `${component} configuration not observable: no ${component} static pod is visible in kube-system ` +
        `(a managed control plane, a component run outside Kubernetes, or pods not readable); not evaluated for it: ${rules.join(', ')}`,
      location,
    });
  }
  if (selectedRuleIds.has('kube-proxy-metrics-bind') && !kubeProxyObservable(inventory))
    notices.push({
      severity: 'warning',
      message:
        'kube-proxy configuration not observable: no KubeProxyConfiguration in a kube-system ConfigMap and no kube-proxy ' +
        'started on flags alone (a managed or replaced kube-proxy, kube-proxy run outside Kubernetes, or ConfigMaps ' +
        'not readable); not evaluated for it: kube-proxy-metrics-bind',
      location,
    });
  for (const file of REFERENCED_FILES) {
    if (!selectedRuleIds.has(file.rule) || file.present(inventory)) continue;
    for (const process of found.get('kube-apiserver') ?? []) {
      const path = process.flags.get(file.flag)?.value;
      if (path === undefined) continue;
      notices.push({
        severity: 'warning',
        message: `${file.what} not observable: --${file.flag}=${path} is a file on the control-plane node, which the API does not serve; ${file.consequence}`,
        location,
      });
    }
  }
  return notices;
}

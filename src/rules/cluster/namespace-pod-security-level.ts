import { type KubeObject, nameOf } from '../../core/kube-object.ts';
import { defineRule } from '../../core/rule.ts';
import { object } from '../example-objects.ts';
import { podSecurityDefaults } from './pod-security-defaults.ts';
import { SYSTEM_NAMESPACES } from './system-namespaces.ts';

const ENFORCE = 'pod-security.kubernetes.io/enforce';

function namespace(name: string, labels: Record<string, string>): KubeObject {
  const ns = object('v1', 'Namespace', name, {});
  ns.metadata.labels = labels;
  return ns;
}

export default defineRule({
  id: 'namespace-pod-security-level',
  title: 'Namespace without an enforced Pod Security level',
  severity: 'medium',
  domain: 'cluster',
  kinds: ['Namespace'],
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['5.2.1'], 'nsa-cisa': ['pod-security-enforcement'] },
  description:
    "Pod Security Admission enforces a namespace's `pod-security.kubernetes.io/enforce` label. Without the label the cluster-wide default applies, which is `privileged` (nothing enforced) unless an AdmissionConfiguration on the control-plane node says otherwise: when that file is scanned, its PodSecurity defaults decide, and the namespaces it exempts are reported; " +
    '`enforce: privileged` turns enforcement off explicitly. `audit` and `warn` labels only report. kube-system, kube-public and kube-node-lease are not checked. ' +
    'Data: Namespace objects (listed from the cluster, or manifests), and a scanned AdmissionConfiguration file with an inline PodSecurity configuration.',
  remediation:
    'Label each namespace with `pod-security.kubernetes.io/enforce: restricted` (or `baseline` where restricted cannot be met yet), and keep privileged workloads in few, dedicated namespaces.',
  references: ['https://kubernetes.io/docs/concepts/security/pod-security-admission/'],
  examples: {
    pass: [namespace('shop', { [ENFORCE]: 'restricted' }), namespace('kube-system', {})],
    fail: [
      namespace('shop', { 'pod-security.kubernetes.io/warn': 'restricted' }),
      namespace('tools', { [ENFORCE]: 'privileged' }),
    ],
  },
  check: (obj, context) => {
    const name = nameOf(obj);
    if (SYSTEM_NAMESPACES.has(name)) return [];
    const configured = podSecurityDefaults(context.inventory);
    if (configured?.exemptNamespaces.has(name))
      return [
        {
          message: `namespace ${name} is exempt from Pod Security Admission (${configured.source}): no level is enforced there`,
          path: ['metadata', 'name'],
        },
      ];
    const level = obj.metadata.labels?.[ENFORCE];
    if (level === undefined) {
      if (configured === undefined)
        return [
          {
            message: `namespace ${name} has no ${ENFORCE} label: the cluster default applies (privileged unless configured otherwise)`,
            path: ['metadata', 'labels'],
          },
        ];
      if (configured.enforce !== 'privileged') return [];
      return [
        {
          message: `namespace ${name} has no ${ENFORCE} label, and the cluster default is privileged (${configured.source})`,
          path: ['metadata', 'labels'],
        },
      ];
    }
    if (level === 'privileged')
      return [
        {
          message: `namespace ${name} enforces the privileged level: no Pod Security restriction`,
          path: ['metadata', 'labels', ENFORCE],
        },
      ];
    return [];
  },
});

import type { KubeObject } from '../../core/kube-object.ts';
import { containersOf, isWindowsPod, podTemplateOf, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import { effectiveSecurityContext } from '../../core/security-context.ts';
import { deployment, pod } from '../example-objects.ts';

function isZero(value: unknown): boolean {
  return value === 0 || value === '0';
}

const PASS: KubeObject[] = [
  deployment('web', {
    securityContext: { runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000] },
    containers: [{ name: 'app', image: 'web:1.0' }],
  }),
  // The container overrides the pod's root group.
  deployment('override', {
    securityContext: { runAsGroup: 0 },
    containers: [{ name: 'app', image: 'web:1.0', securityContext: { runAsGroup: 3000 } }],
  }),
  pod('win', {
    os: { name: 'windows' },
    containers: [{ name: 'app', image: 'mcr.microsoft.com/windows/nanoserver:ltsc2022' }],
  }),
];

const FAIL: KubeObject[] = [
  deployment('web', { containers: [{ name: 'app', image: 'web:1.0', securityContext: { runAsGroup: 0 } }] }),
  deployment('fs', { securityContext: { fsGroup: 0 }, containers: [{ name: 'app', image: 'web:1.0' }] }),
  deployment('supplemental', {
    securityContext: { supplementalGroups: [1000, 0] },
    containers: [{ name: 'app', image: 'web:1.0' }],
  }),
];

export default defineRule({
  id: 'root-group',
  title: 'Container runs with the root group',
  severity: 'medium',
  domain: 'workload',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'cis-k8s': ['5.7.3'], 'nsa-cisa': ['non-root-containers'] },
  description:
    'A process in group 0 can read and write every file the root group can, in the image and on mounted volumes; with a non-root user but the root group, `runAsNonRoot` gives less isolation than it appears to. ' +
    'Flagged: an effective `runAsGroup: 0` (container, or inherited from the pod), and pod-level `fsGroup: 0` or a `supplementalGroups` entry 0, which add group 0 to every container. Windows pods are skipped.',
  remediation: 'Use a non-zero GID for `runAsGroup`, `fsGroup` and `supplementalGroups`, for example 10001.',
  references: ['https://kubernetes.io/docs/tasks/configure-pod-container/security-context/'],
  examples: { pass: PASS, fail: FAIL },
  check: (object) => {
    const view = podTemplateOf(object);
    if (!view || isWindowsPod(view)) return [];
    const out: Violation[] = [];
    for (const container of containersOf(view)) {
      const field = effectiveSecurityContext(view, container).get('runAsGroup');
      if (!isZero(field.value)) continue;
      out.push({
        message:
          field.from === 'pod'
            ? `container "${container.name}" inherits runAsGroup 0 (the root group) from the pod securityContext`
            : `container "${container.name}" sets securityContext.runAsGroup to 0 (the root group)`,
        path: field.path,
        container: container.name,
      });
    }
    const podContext = view.spec.securityContext;
    const contextPath = [...view.specPath, 'securityContext'];
    if (podContext && isZero(podContext.fsGroup))
      out.push({
        message:
          'pod securityContext.fsGroup is 0: every container gets the root group as a supplementary group',
        path: [...contextPath, 'fsGroup'],
      });
    const supplemental = podContext?.supplementalGroups;
    if (Array.isArray(supplemental))
      supplemental.forEach((group, index) => {
        if (isZero(group))
          out.push({
            message: `pod securityContext.supplementalGroups[${index}] is 0: every container gets the root group`,
            path: [...contextPath, 'supplementalGroups', index],
          });
      });
    return out;
  },
});

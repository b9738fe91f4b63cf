import type { KubeObject } from '../../core/kube-object.ts';
import { containersOf, isWindowsPod, podTemplateOf, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import { effectiveSecurityContext } from '../../core/security-context.ts';
import { deployment, pod } from '../example-objects.ts';

const READ_ONLY = { readOnlyRootFilesystem: true };

const PASS: KubeObject[] = [
  deployment('web', {
    containers: [{ name: 'app', image: 'nginx:1.27', securityContext: READ_ONLY }],
    initContainers: [{ name: 'setup', image: 'busybox:1.36', securityContext: READ_ONLY }],
  }),
  // Windows containers have no read-only root filesystem option.
  pod('win', {
    os: { name: 'windows' },
    containers: [{ name: 'app', image: 'mcr.microsoft.com/windows/nanoserver:ltsc2022' }],
  }),
];

const FAIL: KubeObject[] = [
  deployment('web', { containers: [{ name: 'app', image: 'nginx:1.27' }] }),
  pod('debug', {
    containers: [{ name: 'app', image: 'nginx:1.27', securityContext: READ_ONLY }],
    ephemeralContainers: [
      { name: 'debugger', image: 'busybox:1.36', securityContext: { readOnlyRootFilesystem: false } },
    ],
  }),
];

export default defineRule({
  id: 'writable-root-filesystem',
  title: 'Container root filesystem is writable',
  severity: 'medium',
  domain: 'workload',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'cis-k8s': ['5.7.3'], 'nsa-cisa': ['immutable-containers'] },
  description:
    'With a writable root filesystem an attacker who gets code execution in the container can drop tools, modify binaries and persist until the container restarts. ' +
    'An immutable root filesystem, with writable `emptyDir` volumes only where the application needs them, prevents that. ' +
    'Every container type is checked (containers, init and ephemeral containers); Windows pods (`spec.os.name: windows`) are skipped because the field does not apply there.',
  remediation:
    'Set `securityContext.readOnlyRootFilesystem: true` on the container and mount an `emptyDir` volume at each path the application writes to (for example `/tmp`). ' +
    'Test before rolling out: applications that write outside mounted volumes will fail, which is why Palisade does not apply this change automatically.',
  references: [
    'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
    'https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (object) => {
    const view = podTemplateOf(object);
    if (!view || isWindowsPod(view)) return [];
    const out: Violation[] = [];
    for (const container of containersOf(view)) {
      const field = effectiveSecurityContext(view, container).get('readOnlyRootFilesystem');
      if (field.value === true) continue;
      out.push({
        message:
          field.value === false
            ? `container "${container.name}" sets securityContext.readOnlyRootFilesystem to false`
            : `container "${container.name}" does not set securityContext.readOnlyRootFilesystem to true`,
        path: field.path,
        container: container.name,
      });
    }
    return out;
  },
});

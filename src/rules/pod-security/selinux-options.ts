// Baseline "SELinux": only the container SELinux types, and no custom user or role.
import { type ContainerView, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { atLeast, type PssVersion } from '../../core/pss-version.ts';
import { defineRule } from '../../core/rule.ts';
import {
  asRecord,
  checkSetting,
  containerViolation,
  describeContainer,
  inspectPod,
  isSet,
  PSS_REFERENCES,
  podViolation,
  quote,
} from './pss-check-helpers.ts';
import { appSecurityContext, examplePod } from './pss-example-pods.ts';

const ALLOWED_TYPES_V1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const ALLOWED_TYPES_V1_31 = [...ALLOWED_TYPES_V1_0, 'container_engine_t'];

function allowedTypes(version: PssVersion): readonly string[] {
  return atLeast(version, 31) ? ALLOWED_TYPES_V1_31 : ALLOWED_TYPES_V1_0;
}

/** What is wrong with one seLinuxOptions value; empty when it is allowed. */
function problems(value: unknown, version: PssVersion): string[] {
  const options = asRecord(value);
  if (!options) return ['must be an object'];
  const out: string[] = [];
  const type = isSet(options.type) ? options.type : '';
  if (typeof type !== 'string' || !allowedTypes(version).includes(type)) out.push(`type ${quote(type)}`);
  if (isSet(options.user) && options.user !== '') out.push('user may not be set');
  if (isSet(options.role) && options.role !== '') out.push('role may not be set');
  return out;
}

function detail(setter: string, value: unknown, version: PssVersion): string {
  return `${setter} set forbidden securityContext.seLinuxOptions: ${problems(value, version).join('; ')}`;
}

export default defineRule({
  id: 'selinux-options',
  title: 'Custom SELinux options',
  severity: 'high',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: {
    'pss-baseline': ['selinux'],
    'pss-restricted': ['selinux'],
    'nsa-cisa': ['pod-security'],
  },
  description:
    'SELinux confines containers through the `container_t` type. Running with another type (such as the ' +
    'unconfined `spc_t`) or a custom SELinux user or role escapes that confinement. The baseline level allows ' +
    'only the types `container_t`, `container_init_t` and `container_kvm_t` (and `container_engine_t` from ' +
    'policy v1.31), on the pod and on every container, and forbids setting `user` or `role`.',
  remediation:
    'Remove `seLinuxOptions.type` (or use an allowed container type) and remove `seLinuxOptions.user` and ' +
    '`seLinuxOptions.role` from the pod and container security contexts. `level` may be set.',
  references: PSS_REFERENCES,
  examples: {
    pass: [
      examplePod('selinux-level', (pod) => {
        appSecurityContext(pod).seLinuxOptions = { type: 'container_t', level: 's0:c123,c456' };
      }),
    ],
    fail: [
      examplePod('selinux-spc', (pod) => {
        appSecurityContext(pod).seLinuxOptions = { type: 'spc_t' };
      }),
      examplePod('selinux-user', (pod) => {
        pod.spec.securityContext!.seLinuxOptions = { user: 'system_u' };
      }),
    ],
  },
  check: (object, context) =>
    inspectPod(object, (pod, containers) =>
      checkSetting(
        pod,
        containers,
        'seLinuxOptions',
        (value) => problems(value, context.pssVersion).length > 0,
        {
          pod: (value, path) =>
            podViolation('seLinuxOptions', detail('pod', value, context.pssVersion), path),
          container: (container: ContainerView, value, path) =>
            containerViolation(
              container,
              'seLinuxOptions',
              detail(describeContainer(container), value, context.pssVersion),
              path,
            ),
        },
      ),
    ),
});

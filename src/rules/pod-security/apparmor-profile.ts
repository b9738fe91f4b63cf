// Baseline "AppArmor": the AppArmor profile may not be disabled, neither through the fields nor the annotations.
import { podAnnotations, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import {
  asRecord,
  checkSetting,
  containerViolation,
  describeContainer,
  inspectPod,
  PSS_REFERENCES,
  podViolation,
  quote,
} from './pss-check-helpers.ts';
import { appSecurityContext, examplePod } from './pss-example-pods.ts';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const REASON = 'forbidden AppArmor profile';

function isAllowedProfile(profile: unknown): boolean {
  const type = asRecord(profile)?.type;
  return type === 'RuntimeDefault' || type === 'Localhost';
}

function isAllowedAnnotationValue(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    (value === '' || value === 'runtime/default' || value.startsWith('localhost/'))
  );
}

function forbiddenType(setter: string, profile: unknown): string {
  const type = asRecord(profile)?.type;
  return `${setter} must not set securityContext.appArmorProfile.type to ${quote(typeof type === 'string' ? type : '')}`;
}

export default defineRule({
  id: 'apparmor-profile',
  title: 'AppArmor disabled',
  severity: 'high',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: {
    'pss-baseline': ['apparmor'],
    'pss-restricted': ['apparmor'],
    'nsa-cisa': ['pod-security'],
  },
  description:
    'On hosts with AppArmor the container runtime confines containers with its default profile. The baseline ' +
    'level forbids overriding it with anything but the runtime default or a profile loaded on the node: ' +
    '`securityContext.appArmorProfile.type` of the pod and of every container must be `RuntimeDefault` or ' +
    '`Localhost`, and the `container.apparmor.security.beta.kubernetes.io/*` annotations must be empty, ' +
    '`runtime/default` or `localhost/<profile>`. Both the fields and the annotations are checked at every ' +
    'policy version.',
  remediation:
    'Remove `appArmorProfile` with type `Unconfined` (or set it to `RuntimeDefault`), and remove or change ' +
    '`unconfined` values of the `container.apparmor.security.beta.kubernetes.io/<container>` annotations.',
  references: [...PSS_REFERENCES, 'https://kubernetes.io/docs/tutorials/security/apparmor/'],
  examples: {
    pass: [
      examplePod('apparmor-default', (pod) => {
        appSecurityContext(pod).appArmorProfile = { type: 'RuntimeDefault' };
      }),
    ],
    fail: [
      examplePod('apparmor-unconfined', (pod) => {
        appSecurityContext(pod).appArmorProfile = { type: 'Unconfined' };
      }),
      examplePod('apparmor-annotation', (pod) => {
        pod.metadata.annotations = { [`${ANNOTATION_PREFIX}app`]: 'unconfined' };
      }),
    ],
  },
  check: (object) =>
    inspectPod(object, (pod, containers) => {
      const out: Violation[] = checkSetting(
        pod,
        containers,
        'appArmorProfile',
        (profile) => !isAllowedProfile(profile),
        {
          pod: (profile, path) => podViolation(REASON, forbiddenType('pod', profile), [...path, 'type']),
          container: (container, profile, path) =>
            containerViolation(container, REASON, forbiddenType(describeContainer(container), profile), [
              ...path,
              'type',
            ]),
        },
      );
      const annotations = podAnnotations(pod);
      for (const key of Object.keys(annotations).sort()) {
        if (!key.startsWith(ANNOTATION_PREFIX)) continue;
        const value = annotations[key];
        if (isAllowedAnnotationValue(value)) continue;
        const path = [...pod.metadataPath, 'annotations', key];
        const detail = `${key}=${quote(value)}`;
        const container = containers.find(
          (candidate) => candidate.name === key.slice(ANNOTATION_PREFIX.length),
        );
        out.push(
          container
            ? containerViolation(container, REASON, detail, path)
            : podViolation(REASON, detail, path),
        );
      }
      return out;
    }),
});

import { toPointer } from '../../core/json-patch.ts';
import type { KubeObject } from '../../core/kube-object.ts';
import { isRecord } from '../../core/kube-object.ts';
import { containersOf, podTemplateOf, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule, type RuleContext, type Violation } from '../../core/rule.ts';
import { cronJob, deployment } from '../example-objects.ts';
import { serviceAccountIsBound, serviceAccountName, serviceAccountObject } from './service-account-usage.ts';

/**
 * The volume through which a Pod (not a template) already has an API token: a mounted projected volume with a
 * serviceAccountToken source for the API server (no other audience), such as the `kube-api-access-*` volume the
 * ServiceAccount admission plugin injects at creation. It stays whatever automountServiceAccountToken says later:
 * the flag is read only at that injection, which runs before any admission webhook.
 */
function injectedTokenVolume(obj: KubeObject): string | undefined {
  if (obj.kind !== 'Pod') return undefined;
  const view = podTemplateOf(obj);
  const volumes = view?.spec.volumes;
  if (!view || !Array.isArray(volumes)) return undefined;
  const mounted = new Set(
    containersOf(view).flatMap((container) =>
      Array.isArray(container.container.volumeMounts)
        ? container.container.volumeMounts.map((mount) => (isRecord(mount) ? mount.name : undefined))
        : [],
    ),
  );
  for (const volume of volumes) {
    if (!isRecord(volume) || typeof volume.name !== 'string' || !mounted.has(volume.name)) continue;
    const sources = isRecord(volume.projected) ? volume.projected.sources : undefined;
    const apiToken = (source: unknown): boolean =>
      isRecord(source) &&
      isRecord(source.serviceAccountToken) &&
      (source.serviceAccountToken.audience === undefined || source.serviceAccountToken.audience === '');
    if (Array.isArray(sources) && sources.some(apiToken)) return volume.name;
  }
  return undefined;
}

function check(obj: KubeObject, context: RuleContext): Violation[] {
  const view = podTemplateOf(obj);
  if (!view) return [];
  const automount = view.spec.automountServiceAccountToken;
  const injected = automount === false ? injectedTokenVolume(obj) : undefined;
  if (injected !== undefined)
    return [
      {
        message: `spec.automountServiceAccountToken is false, but volume "${injected}" mounts an API token for the service account anyway (the flag only stops the token being added when the pod is created: set it in the pod template or on the ServiceAccount)`,
        path: [...view.specPath, 'automountServiceAccountToken'],
      },
    ];
  // An explicit value on the pod is a decision, either way: tokens are also used outside RBAC (Vault, service meshes).
  if (typeof automount === 'boolean') return [];
  const name = serviceAccountName(view);
  const account = serviceAccountObject(context.inventory, obj, name);
  if (account && typeof account.automountServiceAccountToken === 'boolean') return [];
  // A named account we cannot see is probably bound somewhere we cannot see either.
  if (name !== 'default' && !account) return [];
  if (serviceAccountIsBound(context.inventory, obj, name)) return [];
  return [
    {
      message: `pod runs as service account "${name}" with its token mounted (spec.automountServiceAccountToken is not set${account ? ', nor on the ServiceAccount' : ''}), but no RoleBinding or ClusterRoleBinding in the scanned objects grants it API access`,

      path: [...view.specPath, 'automountServiceAccountToken'],
    },
  ];
}

const PASS: KubeObject[] = [
  deployment('web', { automountServiceAccountToken: false, containers: [{ name: 'app', image: 'web:1.0' }] }),
  // A named service account outside the scan is assumed to be used.
  deployment('operator', {
    serviceAccountName: 'operator',
    containers: [{ name: 'manager', image: 'operator:1.0' }],
  }),
];

const FAIL: KubeObject[] = [
  deployment('web', { containers: [{ name: 'app', image: 'web:1.0' }] }, { namespace: 'shop' }),
  // The deprecated `serviceAccount` field names the account too.
  cronJob('worker', { serviceAccount: 'default', containers: [{ name: 'app', image: 'web:1.0' }] }),
];

export default defineRule({
  id: 'service-account-token-automounted',
  title: 'Service account token mounted into a pod that does not use the API',
  severity: 'medium',
  domain: 'workload',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'cluster',
  frameworks: {
    'cis-k8s': ['5.1.5', '5.1.6'],
    'nsa-cisa': ['service-account-tokens'],
    'mitre-attack': ['T1528', 'T1552.007'],
  },
  description:
    "Kubernetes mounts a token for the pod's service account into every container unless told otherwise. An attacker who gets code execution in the container reads it from `/var/run/secrets/kubernetes.io/serviceaccount/token` and talks to the API server with the account's permissions, today's and tomorrow's. " +
    'A pod is flagged only when nothing says it needs the token: neither the pod nor its ServiceAccount (when in the scanned objects) sets `automountServiceAccountToken`, and no RoleBinding or ClusterRoleBinding in the scanned objects names the account (or `system:serviceaccounts:<namespace>`). ' +
    'Pods running as a named service account that is not in the scanned objects are assumed to use it.',
  remediation:
    'Set `automountServiceAccountToken: false` in the pod spec (or on the ServiceAccount, for every pod using it). A pod that needs a token for one container can mount a projected `serviceAccountToken` volume in that container only.',
  references: [
    'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting',
    'https://kubernetes.io/docs/concepts/security/service-accounts/',
  ],
  examples: { pass: PASS, fail: FAIL },
  check,
  fix: (obj, context) => {
    const view = podTemplateOf(obj);
    if (!view || check(obj, context).length === 0) return [];
    // Templates only. The ServiceAccount admission plugin runs before any webhook and has already injected the
    // token volume into a Pod, which the flag would not unmount (removing it is not this fix's to decide); a Pod
    // without that volume has its token turned off already. Offline (`palisade test`) a Pod is written without the
    // volume the cluster would add: patching it there would promise a change the cluster never makes.
    if (obj.kind === 'Pod') return [];
    return [{ op: 'add', path: toPointer([...view.specPath, 'automountServiceAccountToken']), value: false }];
  },
});

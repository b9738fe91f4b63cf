import { isRecord, type KubeObject } from '../../core/kube-object.ts';
import { isWindowsPod, podTemplateOf, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { deployment, object, pod } from '../example-objects.ts';

/**
 * Volume types whose ownership the kubelet sets to fsGroup and that keep the storage's owner without it: the
 * persistent or shared ones. Not emptyDir: the kubelet creates it with mode 0777, writable by any user.
 */
const OWNED_VOLUME_TYPES = [
  'persistentVolumeClaim',
  'ephemeral',
  'csi',
  'awsElasticBlockStore',
  'gcePersistentDisk',
  'azureDisk',
  'cinder',
  'rbd',
  'iscsi',
  'fc',
];

function ownedVolumes(volumes: unknown): string[] {
  if (!Array.isArray(volumes)) return [];
  const names: string[] = [];
  for (const volume of volumes) {
    if (!isRecord(volume)) continue;
    // A generic ephemeral volume in Block mode is a raw device, which fsGroup does not chown.
    const ephemeral = isRecord(volume.ephemeral) ? volume.ephemeral.volumeClaimTemplate : undefined;
    if (isRecord(ephemeral) && isRecord(ephemeral.spec) && ephemeral.spec.volumeMode === 'Block') continue;
    if (OWNED_VOLUME_TYPES.some((type) => volume[type] !== undefined && volume[type] !== null))
      names.push(typeof volume.name === 'string' ? volume.name : '?');
  }
  return names;
}

/**
 * The StatefulSet controller adds a PersistentVolumeClaim volume named after each volumeClaimTemplate to every pod
 * (replacing a pod volume of the same name). Block-mode claims are raw devices that fsGroup does not chown.
 */
function claimTemplateVolumes(object: KubeObject): string[] {
  if (object.kind !== 'StatefulSet' || !isRecord(object.spec)) return [];
  const templates = object.spec.volumeClaimTemplates;
  if (!Array.isArray(templates)) return [];
  const names: string[] = [];
  for (const template of templates) {
    if (!isRecord(template) || !isRecord(template.metadata)) continue;
    const name = template.metadata.name;
    if (typeof name !== 'string') continue;
    if (isRecord(template.spec) && template.spec.volumeMode === 'Block') continue;
    names.push(name);
  }
  return names;
}

const DATA = [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }];
const MOUNT = [{ name: 'data', mountPath: '/data' }];

const PASS: KubeObject[] = [
  deployment('db', {
    securityContext: { fsGroup: 2000 },
    volumes: DATA,
    containers: [{ name: 'db', image: 'postgres:17', volumeMounts: MOUNT }],
  }),
  // Only a ConfigMap volume: fsGroup changes nothing the container can write.
  deployment('web', {
    volumes: [{ name: 'config', configMap: { name: 'web' } }],
    containers: [{ name: 'app', image: 'web:1.0' }],
  }),
  // Scratch space only: an emptyDir is created world-writable (mode 0777), so any user can write there.
  deployment('cache', {
    securityContext: { runAsNonRoot: true, runAsUser: 10001 },
    volumes: [{ name: 'tmp', emptyDir: {} }],
    containers: [{ name: 'app', image: 'web:1.0', volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] }],
  }),
  pod('win', {
    os: { name: 'windows' },
    volumes: [{ name: 'scratch', emptyDir: {} }],
    containers: [{ name: 'app', image: 'mcr.microsoft.com/windows/nanoserver:ltsc2022' }],
  }),
];

const FAIL: KubeObject[] = [
  deployment('db', {
    volumes: DATA,
    containers: [{ name: 'db', image: 'postgres:17', volumeMounts: MOUNT }],
  }),
  // The claim templates become PersistentVolumeClaim volumes of each pod.
  object('apps/v1', 'StatefulSet', 'db', {
    spec: {
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: {
        metadata: { labels: { app: 'db' } },
        spec: { containers: [{ name: 'db', image: 'postgres:17', volumeMounts: MOUNT }] },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
    },
  }),
];

export default defineRule({
  id: 'missing-fs-group',
  title: 'Pod with writable volumes does not set fsGroup',
  severity: 'low',
  domain: 'workload',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'cis-k8s': ['5.7.3'], 'nsa-cisa': ['non-root-containers'] },
  description:
    'Without `fsGroup` the files on persistent volumes keep whatever owner the storage gives them, and non-root containers often cannot write there; the usual workaround is to run as root or to add a privileged init container that runs `chown`. ' +
    'Setting `fsGroup` makes the kubelet give the pod group ownership of those volumes. Only pods with a PersistentVolumeClaim (including the volumeClaimTemplates of a StatefulSet), generic ephemeral, CSI or in-tree block volume are flagged. ' +
    'An `emptyDir` alone is not: the kubelet creates it with mode 0777, so any user can write to it. Windows pods are skipped.',
  remediation:
    'Set `spec.securityContext.fsGroup` to a non-zero GID shared by the containers, and consider `fsGroupChangePolicy: OnRootMismatch` for large volumes.',
  references: [
    'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#configure-volume-permission-and-ownership-change-policy-for-pods',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (object) => {
    const view = podTemplateOf(object);
    if (!view || isWindowsPod(view)) return [];
    const fsGroup = view.spec.securityContext?.fsGroup;
    if (fsGroup !== undefined && fsGroup !== null) return [];
    const volumes = [...new Set([...ownedVolumes(view.spec.volumes), ...claimTemplateVolumes(object)])];
    if (volumes.length === 0) return [];
    return [
      {
        message: `pod securityContext.fsGroup is not set, so volume${volumes.length > 1 ? 's' : ''} ${volumes.map((name) => `"${name}"`).join(', ')} keep${volumes.length > 1 ? '' : 's'} the storage's ownership`,
        path: [...view.specPath, 'securityContext', 'fsGroup'],
      },
    ];
  },
});

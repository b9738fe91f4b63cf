// Restricted "Volume Types": only volume types that cannot reach the node or external storage directly.
import { WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import {
  asArray,
  asRecord,
  inspectPod,
  isSet,
  PSS_REFERENCES,
  podViolation,
  quote,
} from './pss-check-helpers.ts';
import { examplePod } from './pss-example-pods.ts';

/**
 * Volume sources of the core API outside the restricted allow-list (configMap, csi, downwardAPI, emptyDir,
 * ephemeral, image, persistentVolumeClaim, projected, secret). Unknown keys are ignored, as the API server drops
 * them, and a volume with no source is defaulted to emptyDir.
 */
const RESTRICTED_SOURCES: readonly string[] = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
];
/** Each restricted source's place in the list: violations come in this order whatever the volume's key order. */
const SOURCE_ORDER = new Map(RESTRICTED_SOURCES.map((source, index) => [source, index]));

export default defineRule({
  id: 'volume-types',
  title: 'Restricted volume type',
  severity: 'medium',
  domain: 'pod-security',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: {
    'pss-restricted': ['volume-types', 'host-path-volumes'],
    'cis-k8s': ['5.2.12'],
    'nsa-cisa': ['pod-security'],
  },
  description:
    'Volume types other than the core ones mount node paths (`hostPath`) or attach storage directly by its ' +
    'coordinates (`nfs`, `iscsi`, `rbd`, cloud disks, `gitRepo`...), bypassing the PersistentVolume layer that ' +
    'administrators control. The restricted level allows only `configMap`, `csi`, `downwardAPI`, `emptyDir`, ' +
    '`ephemeral`, `image`, `persistentVolumeClaim`, `projected` and `secret` volumes. A volume with no source ' +
    'is an `emptyDir`.',
  remediation:
    'Replace the volume with one of the allowed types: use a PersistentVolumeClaim bound to a PersistentVolume ' +
    'an administrator defines for network and cloud storage, and an `emptyDir` or init container instead of ' +
    '`gitRepo` or `hostPath`.',
  references: PSS_REFERENCES,
  examples: {
    pass: [
      examplePod('allowed-volumes', (pod) => {
        pod.spec.volumes = [
          { name: 'scratch', emptyDir: {} },
          { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
          { name: 'config', configMap: { name: 'app' } },
        ];
      }),
    ],
    fail: [
      examplePod('nfs-volume', (pod) => {
        pod.spec.volumes = [{ name: 'share', nfs: { server: 'nfs.example.com', path: '/exports' } }];
      }),
      examplePod('host-path', (pod) => {
        pod.spec.volumes = [{ name: 'host', hostPath: { path: '/' } }];
      }),
    ],
  },
  check: (object) =>
    inspectPod(object, (pod) => {
      const out: Violation[] = [];
      asArray(pod.spec.volumes).forEach((entry, index) => {
        const volume = asRecord(entry);
        if (!volume) return;
        const name = volume.name ?? `volumes[${index}]`;
        // A volume has a name and one source: its few keys are looked up in the list, not the list in it.
        const sources: string[] = [];
        for (const key in volume)
          if (Object.hasOwn(volume, key) && SOURCE_ORDER.has(key) && isSet(volume[key])) sources.push(key);
        if (sources.length > 1)
          sources.sort((a, b) => (SOURCE_ORDER.get(a) as number) - (SOURCE_ORDER.get(b) as number));
        for (const source of sources)
          out.push(
            podViolation(
              'restricted volume types',
              `volume ${quote(name)} uses restricted volume type ${quote(source)}`,
              [...pod.specPath, 'volumes', index, source],
            ),
          );
      });
      return out;
    }),
});

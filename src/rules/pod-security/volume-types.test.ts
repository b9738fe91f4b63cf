import { container, pod, ruleTable } from './pss-test-support.ts';
import rule from './volume-types.ts';

const withVolumes = (...volumes: Record<string, unknown>[]) =>
  pod({ containers: [container('app')], volumes });

ruleTable(rule, [
  {
    name: 'every allowed type, and a volume with no source (an emptyDir)',
    object: withVolumes(
      { name: 'none' },
      { name: 'a', configMap: { name: 'x' } },
      { name: 'b', csi: { driver: 'x' } },
      { name: 'c', downwardAPI: {} },
      { name: 'd', emptyDir: {} },
      { name: 'e', ephemeral: { volumeClaimTemplate: {} } },
      { name: 'f', image: { reference: 'registry.example.com/data:1' } },
      { name: 'g', persistentVolumeClaim: { claimName: 'x' } },
      { name: 'h', projected: { sources: [] } },
      { name: 'i', secret: { secretName: 'x' } },
    ),
    versions: ['v1.0', 'latest'],
    expect: 'pass',
  },
  {
    name: 'hostPath',
    object: withVolumes({ name: 'host', hostPath: { path: '/' } }),
    versions: ['v1.0', 'latest'],
    expect: 1,
    paths: ['spec.volumes[0].hostPath'],
    messages: ['restricted volume types (volume "host" uses restricted volume type "hostPath")'],
  },
  ...[
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
  ].map((type) => ({ name: type, object: withVolumes({ name: 'v', [type]: {} }), expect: 1 })),
  { name: 'a null source is unset', object: withVolumes({ name: 'v', nfs: null }), expect: 'pass' },
]);

import { defineRule } from '../../core/rule.ts';
import { podWith } from './control-plane-examples.ts';
import { checkComponent, flagViolation, mayRunComponent } from './control-plane-flags.ts';

export default defineRule({
  id: 'apiserver-encryption-at-rest',
  title: 'Secrets are not encrypted at rest in etcd',
  severity: 'high',
  domain: 'cluster',
  kinds: ['Pod'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['1.2.27'], 'nsa-cisa': ['encryption', 'etcd'] },
  description:
    'Without `--encryption-provider-config`, Secrets are stored in etcd in clear: anyone with an etcd backup or etcd access reads every credential of the cluster. ' +
    'Whether the configured providers really encrypt (and not `identity` first) is in the configuration file on the node, which the API does not expose: ' +
    'a cluster scan reports it as not observable; scan the file itself for that (rule `encryption-provider-order`). ' +
    'Data: the `kube-apiserver` static pod, its command and args.',
  remediation:
    'Write an EncryptionConfiguration with `kms` (v2), `aescbc` or `secretbox` first for `secrets`, and pass it with `--encryption-provider-config`.',
  references: ['https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/'],
  examples: {
    pass: [podWith('kube-apiserver', {})],
    fail: [podWith('kube-apiserver', { remove: ['--encryption-provider-config'] })],
  },
  screen: mayRunComponent,
  check: (object) =>
    checkComponent(object, 'kube-apiserver', (process) =>
      process.flags.has('encryption-provider-config')
        ? []
        : [
            flagViolation(
              process,
              'encryption-provider-config',
              '--encryption-provider-config is not set: Secrets are stored unencrypted in etcd',
            ),
          ],
    ),
});

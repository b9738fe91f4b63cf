import { isRecord, type KubeObject } from '../../core/kube-object.ts';
import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { object } from '../example-objects.ts';

const API_VERSION = 'apiserver.config.k8s.io/v1';
/** Keys in examples are placeholders, never real key material. */
const KEY = { name: 'key1', secret: 'cGxhY2Vob2xkZXItbm90LWEta2V5LTAxMjM0NTY3ODk=' };

function config(providers: readonly Record<string, unknown>[], resources = ['secrets']): KubeObject {
  return object(API_VERSION, 'EncryptionConfiguration', 'encryption-config', {
    resources: [{ resources, providers }],
  });
}

/** Whether a `resources` entry of the configuration applies to Secrets (`secrets`, `*.`, `*.*`). */
function coversSecrets(names: unknown): boolean {
  return Array.isArray(names) && names.some((name) => name === 'secrets' || name === '*.' || name === '*.*');
}

export default defineRule({
  id: 'encryption-provider-order',
  title: 'Encryption at rest leaves Secrets in clear',
  severity: 'high',
  domain: 'cluster',
  kinds: ['EncryptionConfiguration'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['1.2.28'], 'nsa-cisa': ['encryption'] },
  description:
    'The first provider of an EncryptionConfiguration entry encrypts what is written; `identity` first means Secrets are written in clear even though encryption is "configured", ' +
    'and a configuration with no entry for `secrets` does not encrypt them at all. ' +
    'Data: the EncryptionConfiguration file given to `--encryption-provider-config` (on the control-plane node; the API does not expose it, so only a scan of the file itself checks this). ' +
    'Key material in the file is never reported.',
  remediation:
    'List `kms` (v2), `aescbc` or `secretbox` first for `secrets`; keep `identity` only after them, while existing data is being rewritten.',
  references: ['https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/'],
  examples: {
    pass: [config([{ secretbox: { keys: [KEY] } }, { identity: {} }])],
    fail: [
      config([{ identity: {} }, { aescbc: { keys: [KEY] } }]),
      config([{ aescbc: { keys: [KEY] } }], ['configmaps']),
    ],
  },
  check: (obj) => {
    const entries = Array.isArray(obj.resources) ? obj.resources : [];
    // The first entry naming a resource wins, as in the API server.
    const index = entries.findIndex((entry) => isRecord(entry) && coversSecrets(entry.resources));
    if (index === -1)
      return [{ message: 'no entry covers secrets: Secrets are stored unencrypted', path: ['resources'] }];
    const entry = entries[index] as Record<string, unknown>;
    const providers = Array.isArray(entry.providers) ? entry.providers : [];
    const first = providers[0];
    const violations: Violation[] = [];
    if (!isRecord(first))
      violations.push({
        message: 'the entry for secrets has no providers',
        path: ['resources', index, 'providers'],
      });
    else if ('identity' in first)
      violations.push({
        message: 'identity is the first provider for secrets: new Secrets are written unencrypted',
        path: ['resources', index, 'providers', 0],
      });
    return violations;
  },
});

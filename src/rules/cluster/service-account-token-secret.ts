import { defineRule } from '../../core/rule.ts';
import { object } from '../example-objects.ts';

const TYPE = 'kubernetes.io/service-account-token';

export default defineRule({
  id: 'service-account-token-secret',
  title: 'Long-lived service-account token stored in a Secret',
  severity: 'medium',
  domain: 'cluster',
  kinds: ['Secret'],
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'nsa-cisa': ['service-account-tokens'], 'mitre-attack': ['T1528'] },
  description:
    'A Secret of type `kubernetes.io/service-account-token` holds a token that never expires and is not bound to a pod: whoever reads the Secret (or a backup of it) is the service account until the Secret is deleted. ' +
    'Since 1.24 Kubernetes issues short-lived, audience-bound tokens through the TokenRequest API and projected volumes instead. Token values are never read or reported. ' +
    'Data: Secret objects (type and annotations only; a cluster scan removes Secret values when reading them).',
  remediation:
    'Delete the Secret and use projected service-account tokens (automatic in pods) or `kubectl create token` for short-lived tokens outside the cluster.',
  references: ['https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token'],
  examples: {
    pass: [object('v1', 'Secret', 'db', { type: 'Opaque', data: { password: '' } }, { namespace: 'shop' })],
    fail: [object('v1', 'Secret', 'deployer-token', { type: TYPE }, { namespace: 'ci' })],
  },
  check: (obj) => {
    if (obj.type !== TYPE) return [];
    const account = obj.metadata.annotations?.['kubernetes.io/service-account.name'];
    return [
      {
        message: `Secret ${obj.metadata.name ?? ''} holds a long-lived token${account ? ` of ServiceAccount ${account}` : ''}`,
        path: ['type'],
      },
    ];
  },
});

import { nameOf } from '../../core/kube-object.ts';
import { defineRule } from '../../core/rule.ts';
import { object } from '../example-objects.ts';

const TYPE = 'kubernetes.io/service-account-token';
const INVALID_SINCE = 'kubernetes.io/legacy-token-invalid-since';

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
    'A Secret the legacy token cleaner has labelled `kubernetes.io/legacy-token-invalid-since` (1.29+) no longer authenticates, and is reported as one to delete. ' +
    'Data: Secret objects (type and annotations only; a cluster scan removes Secret values when reading them).',
  remediation:
    'Delete the Secret and use projected service-account tokens (automatic in pods) or `kubectl create token` for short-lived tokens outside the cluster.',
  references: ['https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token'],
  examples: {
    pass: [object('v1', 'Secret', 'db', { type: 'Opaque', data: { password: '' } }, { namespace: 'shop' })],
    fail: [
      object('v1', 'Secret', 'deployer-token', { type: TYPE }, { namespace: 'ci' }),
      object(
        'v1',
        'Secret',
        'old-token',
        { type: TYPE },
        { namespace: 'ci', labels: { [INVALID_SINCE]: '2025-01-10' } },
      ),
    ],
  },
  check: (obj) => {
    if (obj.type !== TYPE) return [];
    const account = obj.metadata.annotations?.['kubernetes.io/service-account.name'];
    const of = account ? ` of ServiceAccount ${account}` : '';
    // Set by the legacy token cleaner (1.29+): the API server no longer accepts the token; the Secret is litter.
    const invalidSince = obj.metadata.labels?.[INVALID_SINCE];
    if (invalidSince !== undefined)
      return [
        {
          message: `Secret ${nameOf(obj)} holds a legacy token${of} that the API server has refused since ${invalidSince} (${INVALID_SINCE}); delete it before it is purged or relied on`,
          path: ['metadata', 'labels', INVALID_SINCE],
        },
      ];
    return [{ message: `Secret ${nameOf(obj)} holds a long-lived token${of}`, path: ['type'] }];
  },
});

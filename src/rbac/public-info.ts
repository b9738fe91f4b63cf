// What the API server serves to anyone by design: health and version endpoints, OpenID discovery, and kubeadm's
// cluster-info ConfigMap in kube-public. Grants of only these to anonymous requests are the defaults, not findings.
import type { BindingRecord } from './binding-records.ts';
import type { PolicyRule } from './policy-rule.ts';

/** Non-resource URLs of the default public roles (system:public-info-viewer, issuer discovery, OpenShift's). */
const PUBLIC_URLS: ReadonlySet<string> = new Set([
  '/healthz',
  '/livez',
  '/readyz',
  '/version',
  '/version/',
  '/.well-known',
  '/.well-known/*',
  '/.well-known/openid-configuration',
  '/.well-known/openid-configuration/',
  '/openid/v1/jwks',
  '/openid/v1/jwks/',
]);

const READ_ONLY_URL_VERBS: ReadonlySet<string> = new Set(['get', 'head']);

function isPublicUrlRule(rule: PolicyRule): boolean {
  return (
    rule.resources.length === 0 &&
    rule.nonResourceURLs.length > 0 &&
    rule.nonResourceURLs.every((url) => PUBLIC_URLS.has(url)) &&
    rule.verbs.every((verb) => READ_ONLY_URL_VERBS.has(verb))
  );
}

/** kubeadm's bootstrap-signer-clusterinfo: `get` of the ConfigMap cluster-info, which `kubeadm join` reads unauthenticated. */
function isClusterInfoRule(rule: PolicyRule, binding: BindingRecord): boolean {
  return (
    binding.kind === 'RoleBinding' &&
    binding.namespace === 'kube-public' &&
    rule.nonResourceURLs.length === 0 &&
    rule.verbs.length > 0 &&
    rule.verbs.every((verb) => verb === 'get') &&
    rule.apiGroups.length === 1 &&
    rule.apiGroups[0] === '' &&
    rule.resources.length === 1 &&
    rule.resources[0] === 'configmaps' &&
    rule.resourceNames.length === 1 &&
    rule.resourceNames[0] === 'cluster-info'
  );
}

/** Whether every rule a binding grants only reads what the API server makes public anyway. */
export function grantsOnlyPublicInfo(rules: readonly PolicyRule[], binding: BindingRecord): boolean {
  return rules.every((rule) => isPublicUrlRule(rule) || isClusterInfoRule(rule, binding));
}

// Recognising admission webhooks: which ones are security policy engines, and which requests they intercept.
import { isRecord } from '../../core/kube-object.ts';

/** Names (of the webhook or its Service) of admission controllers that enforce security policy. */
const POLICY_ENGINE =
  /gatekeeper|kyverno|kubewarden|jspolicy|polaris|palisade|pod-?security|opa[-.]|open-policy-agent|policy/i;

export interface WebhookView {
  index: number;
  name: string;
  /** `Fail` or `Ignore` as effective: v1 defaults to Fail, v1beta1 to Ignore. */
  failurePolicy: string;
  webhook: Record<string, unknown>;
}

export function webhooksOf(object: { apiVersion: string; webhooks?: unknown }): WebhookView[] {
  if (!Array.isArray(object.webhooks)) return [];
  const defaultPolicy = object.apiVersion.endsWith('/v1beta1') ? 'Ignore' : 'Fail';
  const views: WebhookView[] = [];
  object.webhooks.forEach((webhook: unknown, index) => {
    if (!isRecord(webhook)) return;
    views.push({
      index,
      name: typeof webhook.name === 'string' ? webhook.name : `#${index}`,
      failurePolicy: typeof webhook.failurePolicy === 'string' ? webhook.failurePolicy : defaultPolicy,
      webhook,
    });
  });
  return views;
}

export function isPolicyEngine(view: WebhookView, configurationName: string): boolean {
  const config = isRecord(view.webhook.clientConfig) ? view.webhook.clientConfig : {};
  const service = isRecord(config.service) ? config.service : {};
  const names = [view.name, configurationName, service.name, service.namespace, config.url];
  return names.some((name) => typeof name === 'string' && POLICY_ENGINE.test(name));
}

/** What kube-system's own components create and update to keep the cluster running (DNS, CNI, proxy, leases). */
// Namespaced resources kube-system's components write; all namespaced, so a rule of scope `Cluster` never sends
// them. (A webhook on Namespaces alone blocks changes to the kube-system Namespace object, not system pods.)
const SYSTEM_RESOURCES = new Set([
  'pods',
  'pods/*',
  'services',
  'endpoints',
  'endpointslices',
  'configmaps',
  'secrets',
  'serviceaccounts',
  'deployments',
  'daemonsets',
  'replicasets',
  'statefulsets',
  'leases',
]);
const SYSTEM_GROUPS = new Set(['', '*', 'apps', 'coordination.k8s.io', 'discovery.k8s.io']);

/**
 * Whether any rule of the webhook intercepts writes kube-system needs (directly or through `*`): a rule for
 * CONNECT only (exec, port-forward) or of scope `Cluster` (cluster-scoped resources only) does not.
 */
export function interceptsSystemResources(view: WebhookView): boolean {
  const rules = Array.isArray(view.webhook.rules) ? view.webhook.rules : [];
  return rules.some((rule) => {
    if (!isRecord(rule)) return false;
    if (rule.scope === 'Cluster') return false;
    // `operations` is required; a configuration without it is taken at its widest.
    const operations = Array.isArray(rule.operations) ? rule.operations : ['*'];
    if (!operations.some((operation) => operation !== 'CONNECT')) return false;
    const groups = Array.isArray(rule.apiGroups) ? rule.apiGroups : [];
    const resources = Array.isArray(rule.resources) ? rule.resources : [];
    return (
      groups.some((group) => SYSTEM_GROUPS.has(group)) &&
      resources.some((resource) => resource === '*' || resource === '*/*' || SYSTEM_RESOURCES.has(resource))
    );
  });
}

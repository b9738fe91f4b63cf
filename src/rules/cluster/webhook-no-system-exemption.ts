import type { KubeObject } from '../../core/kube-object.ts';
import type { LabelSelector } from '../../core/label-selector.ts';
import { matchesSelector } from '../../core/label-selector.ts';
import { defineRule } from '../../core/rule.ts';
import { object } from '../example-objects.ts';
import { interceptsSystemResources, type WebhookView, webhooksOf } from './webhook-policy-engines.ts';

function configuration(
  namespaceSelector?: LabelSelector,
  narrowing: { objectSelector?: LabelSelector; matchConditions?: unknown[] } = {},
): KubeObject {
  return object('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'policy-webhook', {
    webhooks: [
      {
        name: 'pods.policy.example.com',
        failurePolicy: 'Fail',
        ...(namespaceSelector ? { namespaceSelector } : {}),
        ...narrowing,
        clientConfig: { service: { namespace: 'policy', name: 'webhook' } },
        rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
      },
    ],
  });
}

/**
 * Whether the objectSelector lets unlabeled objects through. System objects carry no opt-in label, so a selector
 * that requires one (matchLabels, In, Exists) exempts them; an absent or empty one, NotIn or DoesNotExist does not.
 */
function selectsUnlabeledObjects(view: WebhookView): boolean {
  return matchesSelector(view.webhook.objectSelector as LabelSelector | undefined, {});
}

function hasMatchConditions(view: WebhookView): boolean {
  return Array.isArray(view.webhook.matchConditions) && view.webhook.matchConditions.length > 0;
}

export default defineRule({
  id: 'webhook-no-system-exemption',
  title: 'Fail-closed webhook also intercepts kube-system',
  severity: 'medium',
  domain: 'cluster',
  kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'nsa-cisa': ['control-plane-hardening'] },
  description:
    'A webhook with `failurePolicy: Fail` that intercepts what kube-system components need to change (pods, services, endpoints, configmaps, secrets, leases, workloads, or `*`; for an operation other than CONNECT, in a rule not limited to scope `Cluster`) and exempts nothing blocks kube-system too: when its own backend is down, the DNS, CNI and proxy pods that would bring it back cannot be created, ' +
    "and the cluster deadlocks. The namespaceSelector is evaluated against kube-system's labels (from the scanned Namespace when present, else its automatic `kubernetes.io/metadata.name` label); " +
    'an objectSelector that unlabeled objects do not match (one requiring an opt-in label) counts as an exemption. `matchConditions` are not evaluated, and the finding says when they may narrow the webhook. ' +
    'Data: ValidatingWebhookConfiguration and MutatingWebhookConfiguration objects, and the kube-system Namespace.',
  remediation:
    'Add a namespaceSelector excluding kube-system, e.g. `matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system]}]`, or an objectSelector requiring an opt-in label.',
  references: [
    'https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#avoiding-operating-on-the-kube-system-namespace',
  ],
  examples: {
    pass: [
      configuration({
        matchExpressions: [
          { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] },
        ],
      }),
      // Only objects that opt in by label are sent to the webhook; system pods carry no such label.
      configuration(undefined, { objectSelector: { matchLabels: { 'example.com/inject': 'true' } } }),
      configuration(undefined, {
        objectSelector: {
          matchExpressions: [{ key: 'example.com/inject', operator: 'In', values: ['true'] }],
        },
      }),
    ],
    fail: [
      configuration(),
      configuration({ matchLabels: {} }),
      // An opt-out selector still matches unlabeled system pods.
      configuration(undefined, {
        objectSelector: { matchExpressions: [{ key: 'example.com/skip', operator: 'DoesNotExist' }] },
      }),
      configuration(undefined, {
        matchConditions: [{ name: 'not-system', expression: "request.namespace != 'kube-system'" }],
      }),
    ],
  },
  check: (obj, context) => {
    const namespace = context.inventory.get('Namespace', undefined, 'kube-system')?.object;
    const labels = { 'kubernetes.io/metadata.name': 'kube-system', ...(namespace?.metadata.labels ?? {}) };
    return webhooksOf(obj)
      .filter(
        (view) =>
          view.failurePolicy === 'Fail' &&
          interceptsSystemResources(view) &&
          matchesSelector(view.webhook.namespaceSelector as LabelSelector | undefined, labels) &&
          selectsUnlabeledObjects(view),
      )
      .map((view) => ({
        message:
          `webhook ${view.name} fails closed and applies to kube-system: an outage of its backend blocks system pods` +
          (hasMatchConditions(view)
            ? ' (its matchConditions may narrow this; they are not evaluated statically)'
            : ''),
        path:
          view.webhook.namespaceSelector === undefined
            ? ['webhooks', view.index]
            : ['webhooks', view.index, 'namespaceSelector'],
      }));
  },
});

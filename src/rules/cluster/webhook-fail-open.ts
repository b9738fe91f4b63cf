import { type KubeObject, nameOf } from '../../core/kube-object.ts';
import { defineRule } from '../../core/rule.ts';
import { object } from '../example-objects.ts';
import { isPolicyEngine, webhooksOf } from './webhook-policy-engines.ts';

function configuration(failurePolicy: string): KubeObject {
  return object(
    'admissionregistration.k8s.io/v1',
    'ValidatingWebhookConfiguration',
    'kyverno-resource-validating',
    {
      webhooks: [
        {
          name: 'validate.kyverno.svc-fail',
          failurePolicy,
          clientConfig: { service: { namespace: 'kyverno', name: 'kyverno-svc', path: '/validate' } },
          rules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] },
          ],
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
        },
      ],
    },
  );
}

export default defineRule({
  id: 'webhook-fail-open',
  title: 'Security policy webhook fails open',
  severity: 'medium',
  domain: 'cluster',
  kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['5.2.1'], 'nsa-cisa': ['pod-security-enforcement'] },
  description:
    'A webhook with `failurePolicy: Ignore` lets every request through while its backend is down, overloaded or unreachable; for a policy engine (Gatekeeper, Kyverno, Kubewarden, ...) ' +
    'that means the policies silently stop applying, which an attacker can provoke. Policy engines are recognised by the names of the webhook, its configuration and its Service. ' +
    '`admissionregistration.k8s.io/v1beta1` defaults to Ignore. Data: ValidatingWebhookConfiguration and MutatingWebhookConfiguration objects.',
  remediation:
    'Set `failurePolicy: Fail` on policy webhooks, run their backends with several replicas and a PodDisruptionBudget, and exempt kube-system with a namespaceSelector so that the cluster can recover.',
  references: [
    'https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#failure-policy',
  ],
  examples: { pass: [configuration('Fail')], fail: [configuration('Ignore')] },
  check: (obj) =>
    webhooksOf(obj)
      .filter((view) => view.failurePolicy === 'Ignore' && isPolicyEngine(view, nameOf(obj)))
      .map((view) => ({
        message: `webhook ${view.name} enforces security policy but fails open (failurePolicy Ignore)`,
        path:
          view.webhook.failurePolicy === undefined
            ? ['webhooks', view.index]
            : ['webhooks', view.index, 'failurePolicy'],
      })),
});

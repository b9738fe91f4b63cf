// The Validating/MutatingWebhookConfiguration for an install: registered only for the resources the policy's rules
// check (never `*`), never for kube-system, kube-node-lease or the webhook's own namespace, skipping Lease and
// node-status traffic, with the timeouts and failure policy the install asks for.
import type { KubeObject } from '../core/kube-object.ts';
import type { InstallOptions } from './install-manifests.ts';
import { webhookRulesFor } from './kind-resources.ts';

const SYSTEM_NAMESPACES = ['kube-system', 'kube-node-lease'];

export function webhookConfigurations(
  options: InstallOptions,
  labels: Record<string, string>,
): { objects: KubeObject[]; unregisteredKinds: string[] } {
  const exempt = [
    ...new Set([
      ...SYSTEM_NAMESPACES,
      options.namespace,
      ...exactNames(options.policy.policy.exemptions.namespaces),
    ]),
  ];
  const namespaceSelector = {
    matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: exempt }],
  };
  const matchConditions = [
    {
      name: 'not-leases',
      expression:
        "!(request.resource.group == 'coordination.k8s.io' && request.resource.resource == 'leases')",
    },
    {
      name: 'not-node-status',
      expression: "!(request.resource.resource == 'nodes' && request.subResource == 'status')",
    },
  ];
  const caBundle = Buffer.from(options.caBundlePem).toString('base64');
  const clientConfig = (path: string) => ({
    service: { name: options.name, namespace: options.namespace, path, port: 443 },
    caBundle,
  });
  const validateKinds = new Set(options.policy.reachableRules().flatMap((rule) => rule.kinds));
  const mutateKinds = new Set(options.policy.mutationRules.flatMap((rule) => rule.kinds));
  const validating = webhookRulesFor(validateKinds, ['CREATE', 'UPDATE'], { subresources: true });
  // Pods are mutated only on CREATE (their spec is immutable); templates on CREATE and UPDATE.
  const mutating = webhookRulesFor(mutateKinds, ['CREATE', 'UPDATE'], { subresources: false });
  for (const rule of mutating.rules)
    if (rule.apiGroups[0] === '' && rule.resources.includes('pods')) {
      rule.resources = rule.resources.filter((resource) => resource !== 'pods');
      mutating.rules.push({ ...rule, operations: ['CREATE'], resources: ['pods'] });
      break;
    }
  const common = {
    admissionReviewVersions: ['v1'],
    sideEffects: 'None',
    failurePolicy: options.failurePolicy,
    matchPolicy: 'Equivalent',
    namespaceSelector,
    matchConditions,
  };
  const objects: KubeObject[] = [];
  if (validating.rules.length > 0)
    objects.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: options.name, labels },
      webhooks: [
        {
          name: `validate.${options.name}.palisade.dev`,
          clientConfig: clientConfig('/validate'),
          rules: validating.rules,
          timeoutSeconds: 3,
          ...common,
        },
      ],
    });
  const mutatingRules = mutating.rules.filter((rule) => rule.resources.length > 0);
  if (mutatingRules.length > 0)
    objects.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: options.name, labels },
      webhooks: [
        {
          name: `mutate.${options.name}.palisade.dev`,
          clientConfig: clientConfig('/mutate'),
          rules: mutatingRules,
          timeoutSeconds: 2,
          // Idempotent patches: a second call after other webhooks' changes is safe and adds only what is missing.
          reinvocationPolicy: 'IfNeeded',
          ...common,
        },
      ],
    });
  return { objects, unregisteredKinds: [...new Set([...validating.unknownKinds, ...mutating.unknownKinds])] };
}

/** Namespace exemptions that are plain names (globs cannot be expressed in a label selector). */
function exactNames(patterns: readonly string[]): string[] {
  return patterns.filter((pattern) => !/[*?]/.test(pattern));
}

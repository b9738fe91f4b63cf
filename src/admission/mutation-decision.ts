// The mutating decision: secure defaults on objects being created (and on changed pod templates), never on
// what the API server would refuse to change (a running pod's spec) and never for exempt requests.
import { gateRequest, type SkipReason } from './admission-gate.ts';
import { type AdmissionResponse, withPatch } from './admission-response.ts';
import type { AdmissionRequest } from './admission-review.ts';
import type { CompiledPolicy } from './compiled-policy.ts';
import { type MutationResult, mutateObject } from './mutation.ts';

export interface MutationDecision {
  response: AdmissionResponse;
  outcome: 'patched' | 'unchanged' | 'skipped';
  skipReason?: SkipReason | 'pod-update' | 'no-mutation-rules';
  mutation?: MutationResult;
}

export function mutateRequest(request: AdmissionRequest, policy: CompiledPolicy): MutationDecision {
  const allowed: AdmissionResponse = { uid: request.uid, allowed: true };
  const gate = gateRequest(request, policy);
  if (!gate.evaluate) return { response: allowed, outcome: 'skipped', skipReason: gate.reason };
  const object = request.object;
  if (!object) return { response: allowed, outcome: 'skipped', skipReason: 'kind-not-checked' };
  // A pod's spec is immutable after creation (ephemeral containers aside): a patch there would fail the request.
  if (request.operation === 'UPDATE' && object.kind === 'Pod')
    return { response: allowed, outcome: 'skipped', skipReason: 'pod-update' };
  const rules = policy.mutationRules.filter((rule) => rule.kinds.includes(object.kind));
  if (rules.length === 0) return { response: allowed, outcome: 'skipped', skipReason: 'no-mutation-rules' };
  // Patches are computed against the object exactly as sent, so that their paths apply to it.
  const mutation = mutateObject(object, {
    rules,
    pssVersion: policy.pssVersion,
    overrideExplicit: policy.policy.mutation.overrideExplicit,
  });
  if (mutation.patch.length === 0) return { response: allowed, outcome: 'unchanged', mutation };
  const applied = mutation.steps.filter((step) => step.outcome === 'applied').map((step) => step.ruleId);
  const response = withPatch(
    { ...allowed, auditAnnotations: { mutated: applied.join(',') } },
    mutation.patch,
  );
  return { response, outcome: 'patched', mutation };
}

// The validating decision: the same rule registry through the same engine as `palisade scan`, on the admitted
// object, with each rule's violations sorted into enforce (deny), warn (warnings) and audit (audit annotations).
import { evaluate } from '../core/engine.ts';
import type { PostureFinding, RuleError } from '../core/finding.ts';
import { Inventory } from '../core/inventory.ts';
import type { Rule } from '../core/rule.ts';
import { type Gate, gateRequest, type SkipReason } from './admission-gate.ts';
import type { AdmissionResponse } from './admission-response.ts';
import type { AdmissionRequest } from './admission-review.ts';
import type { CompiledPolicy } from './compiled-policy.ts';
import type { AdmissionMode, FailureMode } from './policy-config.ts';
import { buildValidationResponse } from './validation-response.ts';

export type NamespaceLabelLookup = (namespace: string) => Readonly<Record<string, string>> | undefined;

export interface RuleResult {
  ruleId: string;
  mode: AdmissionMode;
  findings: readonly PostureFinding[];
}

export interface ValidationDecision {
  response: AdmissionResponse;
  outcome: 'allowed' | 'denied' | 'skipped' | 'error';
  skipReason?: SkipReason;
  /** Every rule that ran, with its mode and findings (none when it passed). */
  results: RuleResult[];
  errors: RuleError[];
}

export interface DecisionContext {
  policy: CompiledPolicy;
  namespaceLabels?: NamespaceLabelLookup;
  now: Date;
  /** Overrides the policy's failure mode (the server's command-line flag). */
  failureMode?: FailureMode;
}

export function validateRequest(request: AdmissionRequest, context: DecisionContext): ValidationDecision {
  const gate: Gate = gateRequest(request, context.policy);
  if (!gate.evaluate)
    return {
      response: {
        uid: request.uid,
        allowed: true,
        auditAnnotations: { decision: `not-evaluated:${gate.reason}` },
      },
      outcome: 'skipped',
      skipReason: gate.reason,
      results: [],
      errors: [],
    };
  const namespace = request.namespace;
  const labels = namespace !== undefined ? context.namespaceLabels?.(namespace) : undefined;
  const resolved = context.policy.rulesFor(namespace, labels);
  const results: RuleResult[] = [];
  const errors: RuleError[] = [];
  const skipped = new Set<string>();
  // One inventory for every group: what rules derive from it (network policy indexes...) is computed once.
  const inventory = Inventory.of([gate.object]);
  for (const group of resolved.groups) {
    const { rules, left } = admissionRules(group.rules, gate.object.kind === 'Pod');
    for (const id of left) skipped.add(id);
    const evaluation = evaluate(inventory, {
      rules,
      pssVersion: group.pssVersion,
      now: context.now,
      knownRuleIds: context.policy.knownRuleIds,
    });
    errors.push(...evaluation.errors);
    // `palisade.dev/ignore` annotations are written by whoever submits the object: trusted in a scan of one's own
    // files, never at admission, where they would let anyone exempt themselves. Suppressed findings count.
    const byRule = findingsByRule(rules, evaluation.findings);
    for (let index = 0; index < rules.length; index++) {
      const ruleId = (rules[index] as Rule).id;
      const findings = byRule[index] as readonly PostureFinding[];
      results.push({ ruleId, mode: group.mode, findings });
      if (group.alsoAudited.size > 0 && group.alsoAudited.has(ruleId))
        results.push({ ruleId, mode: 'audit', findings });
    }
  }
  const failureMode = context.failureMode ?? context.policy.policy.failureMode;
  const enforcedErrors = errors.length === 0 ? [] : errorsOfEnforcedRules(results, errors);
  const response = buildValidationResponse({
    request,
    object: gate.object,
    results,
    errors: enforcedErrors,
    failureMode,
    notes: resolved.notes,
  });
  // Rules that need other objects of the cluster (which the webhook does not see) are named, not judged.
  if (skipped.size > 0)
    response.auditAnnotations = {
      ...response.auditAnnotations,
      'skipped-cross-object-rules': [...skipped].join(','),
    };
  let outcome: ValidationDecision['outcome'] = response.allowed ? 'allowed' : 'denied';
  if (enforcedErrors.length > 0) outcome = 'error';
  return { response, outcome, results, errors };
}

const NO_FINDINGS: readonly PostureFinding[] = Object.freeze([]);

/**
 * Each rule's findings, by the rule's index. The engine reports one object's findings rule by rule, in the order
 * given, so one walk splits them; should that order ever differ, they are grouped by rule id instead.
 */
export function findingsByRule(
  rules: readonly Rule[],
  found: readonly PostureFinding[],
): (readonly PostureFinding[])[] {
  const out: (readonly PostureFinding[])[] = [];
  let at = 0;
  for (const rule of rules) {
    let end = at;
    while (end < found.length && (found[end] as PostureFinding).ruleId === rule.id) end++;
    out.push(end === at ? NO_FINDINGS : found.slice(at, end));
    at = end;
  }
  if (at === found.length) return out;
  const byId = new Map<string, PostureFinding[]>();
  for (const finding of found) {
    const list = byId.get(finding.ruleId);
    if (list) list.push(finding);
    else byId.set(finding.ruleId, [finding]);
  }
  return rules.map((rule) => byId.get(rule.id) ?? NO_FINDINGS);
}

const admissionRuleLists = new WeakMap<
  readonly Rule[],
  Map<boolean, { rules: readonly Rule[]; left: string[] }>
>();

/** The rules that can be judged from the admitted object alone; cached per list so the engine's index is reused. */
function admissionRules(rules: readonly Rule[], isPod: boolean): { rules: readonly Rule[]; left: string[] } {
  let byKind = admissionRuleLists.get(rules);
  if (!byKind) {
    byKind = new Map();
    admissionRuleLists.set(rules, byKind);
  }
  const cached = byKind.get(isPod);
  if (cached) return cached;
  // Each rule says what it needs (`Rule.admission`); the webhook sees only the admitted object.
  const needsOthers = (rule: Rule) =>
    rule.admission === 'needs-cluster' || (!isPod && rule.admission === 'needs-cluster-for-templates');
  const result = {
    rules: rules.some(needsOthers) ? rules.filter((rule) => !needsOthers(rule)) : rules,
    left: rules.filter(needsOthers).map((rule) => rule.id),
  };
  byKind.set(isPod, result);
  return result;
}

function errorsOfEnforcedRules(results: readonly RuleResult[], errors: readonly RuleError[]): RuleError[] {
  const enforcedIds = new Set(
    results.filter((result) => result.mode === 'enforce').map((result) => result.ruleId),
  );
  return errors.filter((error) => enforcedIds.has(error.ruleId));
}

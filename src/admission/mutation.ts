// Secure defaults from the rules' own fixes. One rule's fix at a time, re-checked on the result, because fixes
// computed together on the original can clobber each other (two fixes each adding a `securityContext`). The
// response carries one minimal patch from the original to the final object, so a second pass patches nothing.
import { Inventory } from '../core/inventory.ts';
import type { JsonPatchOperation } from '../core/json-patch.ts';
import type { KubeObject } from '../core/kube-object.ts';
import type { PssVersion } from '../core/pss-version.ts';
import type { Rule, RuleContext } from '../core/rule.ts';
import { applyPatchSharing } from './copy-on-write-patch.ts';
import { diffJson } from './json-diff.ts';

export interface MutationStep {
  ruleId: string;
  outcome: 'applied' | 'not-needed' | 'no-fix' | 'would-override' | 'did-not-help' | 'failed';
  detail?: string;
}

export interface MutationResult {
  object: KubeObject;
  patch: JsonPatchOperation[];
  steps: MutationStep[];
}

export interface MutationOptions {
  rules: readonly Rule[];
  pssVersion: PssVersion;
  overrideExplicit: boolean;
}

// A fix may enable another (a container securityContext created by one is filled by the next): a few passes reach
// the fixed point; more would only mean fixes that fight each other.
const MAX_PASSES = 3;

// One rule context per object state: building an inventory for every check of every rule would dominate the cost.
const contexts = new WeakMap<KubeObject, RuleContext>();

function contextOf(object: KubeObject, pssVersion: PssVersion): RuleContext {
  let context = contexts.get(object);
  if (!context || context.pssVersion !== pssVersion) {
    context = { inventory: Inventory.of([object]), pssVersion };
    contexts.set(object, context);
  }
  return context;
}

function violationCount(rule: Rule, object: KubeObject, pssVersion: PssVersion): number {
  return rule.check(object, contextOf(object, pssVersion)).length;
}

/** Applies the fixes of `rules` to `original`; never throws on a fix that fails, it is reported as a step. */
export function mutateObject(original: KubeObject, options: MutationOptions): MutationResult {
  let current = original;
  const steps = new Map<string, MutationStep>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let changed = false;
    for (const rule of options.rules) {
      const step = fixOnce(rule, current, options);
      if (step.next) {
        current = step.next;
        changed = true;
      }
      // The first pass's outcome is the informative one, unless a later pass applied something.
      if (!steps.has(rule.id) || step.step.outcome === 'applied') steps.set(rule.id, step.step);
    }
    if (!changed) break;
  }
  return { object: current, patch: diffJson(original, current), steps: [...steps.values()] };
}

function fixOnce(
  rule: Rule,
  object: KubeObject,
  options: MutationOptions,
): { step: MutationStep; next?: KubeObject } {
  const ruleId = rule.id;
  try {
    const before = violationCount(rule, object, options.pssVersion);
    if (before === 0) return { step: { ruleId, outcome: 'not-needed' } };
    if (!rule.fix) return { step: { ruleId, outcome: 'no-fix', detail: 'the rule has no automatic fix' } };
    const operations = rule.fix(object, contextOf(object, options.pssVersion));
    if (operations.length === 0)
      return { step: { ruleId, outcome: 'no-fix', detail: 'no change is safe to make automatically' } };
    const next = applyPatchSharing(object, operations);
    const change = diffJson(object, next);
    if (!options.overrideExplicit) {
      const overriding = change.find((operation) => operation.op !== 'add');
      if (overriding)
        return {
          step: {
            ruleId,
            outcome: 'would-override',
            detail: `would change ${overriding.path}, set explicitly`,
          },
        };
    }
    const after = violationCount(rule, next, options.pssVersion);
    if (after >= before) return { step: { ruleId, outcome: 'did-not-help' } };
    return { step: { ruleId, outcome: 'applied' }, next };
  } catch (error) {
    return { step: { ruleId, outcome: 'failed', detail: (error as Error).message } };
  }
}

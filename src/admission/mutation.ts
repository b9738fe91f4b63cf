// Secure defaults from the rules' own fixes. One rule's fix at a time, re-checked on the result, because fixes
// computed together on the original can clobber each other (two fixes each adding a `securityContext`). The
// response carries one minimal patch from the original to the final object, so a second pass patches nothing.
import { Inventory } from '../core/inventory.ts';
import type { JsonPatchOperation } from '../core/json-patch.ts';
import type { KubeObject } from '../core/kube-object.ts';
import type { PssVersion } from '../core/pss-version.ts';
import type { Rule, RuleContext } from '../core/rule.ts';
import { applyPatchSharing } from './copy-on-write-patch.ts';
import { diffJson, firstOverride, mayOverride } from './json-diff.ts';

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

/**
 * Per call of mutateObject. Rules are pure, so a rule asked again about the same object state gets its answer.
 * Plain maps that die with the call, not module-level WeakMaps: V8's young-generation collector keeps WeakMap
 * values alive, and a value that reaches its key (a rule context holds its object) would carry every admitted
 * object into the old generation.
 */
interface Memo {
  pssVersion: PssVersion;
  /** One rule context per object state: an inventory for every check of every rule would dominate the cost. */
  contexts: Map<KubeObject, RuleContext>;
  counts: Map<KubeObject, Map<Rule, number>>;
  /** The last object state each rule's fix was tried on, and what came of it. */
  lastTry: Map<Rule, { object: KubeObject; result: FixResult }>;
}

/**
 * Most fixable rules never look at the inventory: it is built on first use. A class, not an object literal with a
 * getter, which V8 creates on a slow path (it showed in the webhook's profile, one per object state).
 */
class LazyContext implements RuleContext {
  readonly pssVersion: PssVersion;
  readonly #object: KubeObject;
  #inventory: Inventory | undefined;

  constructor(object: KubeObject, pssVersion: PssVersion) {
    this.#object = object;
    this.pssVersion = pssVersion;
  }

  get inventory(): Inventory {
    this.#inventory ??= Inventory.of([this.#object]);
    return this.#inventory;
  }
}

function contextOf(object: KubeObject, memo: Memo): RuleContext {
  let context = memo.contexts.get(object);
  if (!context) {
    context = new LazyContext(object, memo.pssVersion);
    memo.contexts.set(object, context);
  }
  return context;
}

type FixResult = { step: MutationStep; next?: KubeObject };

function violationCount(rule: Rule, object: KubeObject, memo: Memo): number {
  let counts = memo.counts.get(object);
  if (!counts) {
    counts = new Map();
    memo.counts.set(object, counts);
  }
  let count = counts.get(rule);
  if (count === undefined) {
    count = rule.check(object, contextOf(object, memo)).length;
    counts.set(rule, count);
  }
  return count;
}

/** Applies the fixes of `rules` to `original`; never throws on a fix that fails, it is reported as a step. */
export function mutateObject(original: KubeObject, options: MutationOptions): MutationResult {
  let current = original;
  const steps = new Map<string, MutationStep>();
  const memo: Memo = {
    pssVersion: options.pssVersion,
    contexts: new Map(),
    counts: new Map(),
    lastTry: new Map(),
  };
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let changed = false;
    for (const rule of options.rules) {
      // A rule that already saw this exact state (nothing changed it since) would answer the same again.
      const last = memo.lastTry.get(rule);
      const step = last?.object === current ? last.result : fixOnce(rule, current, options, memo);
      memo.lastTry.set(rule, { object: current, result: step });
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

/**
 * Applies the operations one by one, leaving out each that would change a value already set (and any that then no
 * longer applies, having built on one left out); `kept` names the explicit values left alone.
 */
function withoutOverrides(
  object: KubeObject,
  operations: readonly JsonPatchOperation[],
): { next: KubeObject; kept: string[] } {
  let current = object;
  const kept: string[] = [];
  for (const operation of operations) {
    let candidate: KubeObject;
    try {
      candidate = applyPatchSharing(current, [operation]);
    } catch {
      // It built on an operation left out above: nothing of the user's is at its path.
      continue;
    }
    const overriding = firstOverride(current, candidate);
    if (overriding) kept.push(overriding.path);
    else current = candidate;
  }
  return { next: current, kept };
}

function fixOnce(rule: Rule, object: KubeObject, options: MutationOptions, memo: Memo): FixResult {
  const ruleId = rule.id;
  try {
    const before = violationCount(rule, object, memo);
    if (before === 0) return { step: { ruleId, outcome: 'not-needed' } };
    if (!rule.fix) return { step: { ruleId, outcome: 'no-fix', detail: 'the rule has no automatic fix' } };
    const operations = rule.fix(object, contextOf(object, memo));
    if (operations.length === 0)
      return { step: { ruleId, outcome: 'no-fix', detail: 'no change is safe to make automatically' } };
    let next = applyPatchSharing(object, operations);
    let kept: string[] = [];
    if (!options.overrideExplicit && mayOverride(object, operations) && firstOverride(object, next)) {
      // One container's explicit value must not cost the other containers their defaults: the operations that
      // would change a value the user set are left out, the rest applied.
      const partial = withoutOverrides(object, operations);
      if (partial.next === object)
        return {
          step: {
            ruleId,
            outcome: 'would-override',
            detail: `would change ${partial.kept[0] ?? 'a value'}, set explicitly`,
          },
        };
      next = partial.next;
      kept = partial.kept;
    }
    const after = violationCount(rule, next, memo);
    if (after >= before) return { step: { ruleId, outcome: 'did-not-help' } };
    return {
      step: {
        ruleId,
        outcome: 'applied',
        ...(kept.length > 0 ? { detail: `left ${kept.join(', ')} as set explicitly` } : {}),
      },
      next,
    };
  } catch (error) {
    return { step: { ruleId, outcome: 'failed', detail: (error as Error).message } };
  }
}

// Runs rules over an inventory and turns violations into findings with locations and suppressions.
import type { EventLoopPacer } from './event-loop-pacer.ts';
import {
  configSuppression,
  type ExceptionRule,
  IGNORE_ANNOTATION,
  IGNORE_REASON_ANNOTATION,
  ignoredByAnnotation,
  isExpired,
} from './exception.ts';
import type { PostureFinding, RuleError } from './finding.ts';
import type { InventoryEntry } from './inventory.ts';
import { Inventory } from './inventory.ts';
import { type FieldPath, formatPath, formatRef, type KubeObject } from './kube-object.ts';
import type { PssVersion } from './pss-version.ts';
import type { Rule, RuleContext, Violation } from './rule.ts';
import type { Location } from './source.ts';

export interface EngineOptions {
  rules: readonly Rule[];
  pssVersion: PssVersion;
  exceptions?: readonly ExceptionRule[];
  /** Injected so that expiry is testable and outputs are reproducible. */
  now?: Date;
  /** Ids of every known rule (not only selected ones), to tell unknown ids in annotations from unselected ones. */
  knownRuleIds?: ReadonlySet<string>;
}

export interface EngineNotice {
  severity: 'warning' | 'info';
  message: string;
  location?: Location;
}

export interface EngineResult {
  /** Every finding, suppressed ones included (they carry `suppressed`). */
  findings: PostureFinding[];
  errors: RuleError[];
  notices: EngineNotice[];
  objectsEvaluated: number;
  expiredExceptions: ExceptionRule[];
}

/** Location of a field of an entry; positions are resolved here, only for objects that have findings. */
export function locate(entry: InventoryEntry, path: FieldPath): Location {
  const source = entry.source;
  switch (source.type) {
    case 'file': {
      const found = source.locate(path);
      return {
        type: 'file',
        file: source.file,
        line: found.line,
        column: found.column,
        path: formatPath(path),
      };
    }
    case 'cluster':
      return { type: 'cluster', context: source.context, path: formatPath(path) };
    case 'admission':
      return { type: 'admission', uid: source.uid, path: formatPath(path) };
    case 'inline':
      return { type: 'inline', path: formatPath(path) };
  }
}

/** The rules of one kind, with the screens they share (Rule.screen), each numbered once. */
interface KindRules {
  rules: readonly Rule[];
  /** Per rule, the number of its screen in `screens`, or -1. */
  screenOf: Int32Array;
  screens: ((object: KubeObject) => boolean)[];
}

interface RuleIndex {
  rulesByKind: Map<string, KindRules>;
  ruleIds: Set<string>;
}

// The webhook evaluates one object per request with the same rule list: index it once per list.
const ruleIndexes = new WeakMap<readonly Rule[], RuleIndex>();

function kindRulesOf(rules: readonly Rule[]): KindRules {
  const screens: ((object: KubeObject) => boolean)[] = [];
  const screenOf = new Int32Array(rules.length);
  rules.forEach((rule, index) => {
    if (!rule.screen) {
      screenOf[index] = -1;
      return;
    }
    let number = screens.indexOf(rule.screen);
    if (number === -1) number = screens.push(rule.screen) - 1;
    screenOf[index] = number;
  });
  return { rules, screenOf, screens };
}

function ruleIndexOf(rules: readonly Rule[]): RuleIndex {
  const cached = ruleIndexes.get(rules);
  if (cached) return cached;
  const byKind = new Map<string, Rule[]>();
  for (const rule of rules)
    for (const kind of rule.kinds) {
      const list = byKind.get(kind);
      if (list) list.push(rule);
      else byKind.set(kind, [rule]);
    }
  const rulesByKind = new Map<string, KindRules>();
  for (const [kind, list] of byKind) rulesByKind.set(kind, kindRulesOf(list));
  const index = { rulesByKind, ruleIds: new Set(rules.map((rule) => rule.id)) };
  ruleIndexes.set(rules, index);
  return index;
}

const SCREEN_UNKNOWN = 0;
const SCREEN_PASSED = 1;
const SCREEN_FAILED = 2;

/** A screen that throws lets its rules run: they report their own errors. */
function screenPasses(screen: (object: KubeObject) => boolean, object: KubeObject): boolean {
  try {
    return screen(object);
  } catch {
    return true;
  }
}

/** The state of one evaluation, stepped one inventory entry at a time. */
function startEvaluation(inventory: Inventory, options: EngineOptions) {
  const now = options.now ?? new Date();
  const exceptions = options.exceptions ?? [];
  const context: RuleContext = { inventory, pssVersion: options.pssVersion };
  const { rulesByKind, ruleIds } = ruleIndexOf(options.rules);
  const knownIds = options.knownRuleIds ?? ruleIds;

  const result: EngineResult = {
    findings: [],
    errors: [],
    notices: [],
    objectsEvaluated: 0,
    expiredExceptions: exceptions.filter((exception) => isExpired(exception, now)),
  };
  const activeExceptions = exceptions.filter((exception) => !isExpired(exception, now));

  // Each screen's verdict on the current object (SCREEN_*), reset per object.
  let screenStates = new Uint8Array(0);

  const step = (entry: InventoryEntry): void => {
    const kindRules = rulesByKind.get(entry.ref.kind);
    if (!kindRules) return;
    const { rules, screenOf, screens } = kindRules;
    if (screens.length > 0) {
      if (screenStates.length < screens.length) screenStates = new Uint8Array(screens.length);
      else screenStates.fill(SCREEN_UNKNOWN, 0, screens.length);
    }
    result.objectsEvaluated++;
    const inline = ignoredByAnnotation(entry.object);
    if (inline.rules.length > 0) {
      const where = locate(entry, ['metadata', 'annotations', IGNORE_ANNOTATION]);
      if (inline.reason === undefined)
        result.notices.push({
          severity: 'warning',
          message: `${formatRef(entry.ref)}: ${IGNORE_ANNOTATION} has no ${IGNORE_REASON_ANNOTATION} annotation; say why the finding is accepted`,
          location: where,
        });
      for (const id of inline.rules.filter((id) => !knownIds.has(id)))
        result.notices.push({
          severity: 'warning',
          message: `${formatRef(entry.ref)}: annotation ${IGNORE_ANNOTATION} names unknown rule "${id}"`,
          location: where,
        });
    }
    for (let index = 0; index < rules.length; index++) {
      const rule = rules[index] as Rule;
      const screen = screenOf[index] as number;
      if (screen !== -1) {
        let state = screenStates[screen];
        if (state === SCREEN_UNKNOWN) {
          state = screenPasses(screens[screen] as (object: KubeObject) => boolean, entry.object)
            ? SCREEN_PASSED
            : SCREEN_FAILED;
          screenStates[screen] = state;
        }
        if (state === SCREEN_FAILED) continue;
      }
      let violations: readonly Violation[];
      try {
        violations = rule.check(entry.object, context);
      } catch (error) {
        result.errors.push({
          ruleId: rule.id,
          resource: entry.ref,
          location: locate(entry, []),
          message: `rule ${rule.id} failed on ${formatRef(entry.ref)}: ${error instanceof Error ? error.message : String(error)}`,
        });
        continue;
      }
      // Indexed, as in formatPath: for-of allocates per step until the JIT has optimised the loop.
      for (let at = 0; at < violations.length; at++) {
        const violation = violations[at] as Violation;
        const finding: PostureFinding = {
          source: 'posture',
          ruleId: rule.id,
          severity: rule.severity,
          title: rule.title,
          message: violation.message,
          resource: entry.ref,
          location: locate(entry, violation.path),
          frameworks: rule.frameworks as Record<string, readonly string[]>,
          remediation: rule.remediation,
        };
        if (violation.container !== undefined) finding.container = violation.container;
        if (violation.facet !== undefined) finding.facet = violation.facet;
        // Renamed rules keep their old ids as aliases, and annotations written with them keep working.
        if (inline.rules.includes(rule.id) || rule.aliases?.some((alias) => inline.rules.includes(alias)))
          finding.suppressed = {
            by: 'annotation',
            reason: inline.reason ?? 'no reason given (add the palisade.dev/ignore-reason annotation)',
          };
        else if (activeExceptions.length > 0) {
          const suppression = configSuppression(finding, activeExceptions);
          if (suppression) finding.suppressed = suppression;
        }
        result.findings.push(finding);
      }
    }
    // Every finding of this object is located: its position index is not needed any more.
    if (entry.source.type === 'file') entry.source.release?.();
  };
  return { result, step };
}

export function evaluate(inventory: Inventory, options: EngineOptions): EngineResult {
  const { result, step } = startEvaluation(inventory, options);
  for (const entry of inventory.entries) step(entry);
  return result;
}

/** The same evaluation, letting the event loop take a turn when the pacer says so (a scan that Ctrl-C stops). */
export async function evaluatePaced(
  inventory: Inventory,
  options: EngineOptions,
  pacer: EventLoopPacer,
): Promise<EngineResult> {
  const { result, step } = startEvaluation(inventory, options);
  for (const entry of inventory.entries) {
    step(entry);
    const turn = pacer.due();
    if (turn) await turn;
  }
  return result;
}

/** Evaluates plain objects with no source, as rule examples and the admission path do. */
export function evaluateObjects(
  objects: Parameters<typeof Inventory.of>[0],
  options: EngineOptions,
): EngineResult {
  return evaluate(Inventory.of(objects), options);
}

// A posture rule: metadata is the single source for docs, SARIF descriptors, framework views and tests.
import { PalisadeError } from './errors.ts';
import type { Inventory } from './inventory.ts';
import type { JsonPatchOperation } from './json-patch.ts';
import type { FieldPath, KubeObject } from './kube-object.ts';
import type { PssVersion } from './pss-version.ts';
import type { Severity } from './severity.ts';

export type FrameworkId = 'pss-baseline' | 'pss-restricted' | 'cis-k8s' | 'nsa-cisa' | 'mitre-attack';
export const FRAMEWORK_IDS: readonly FrameworkId[] = [
  'pss-baseline',
  'pss-restricted',
  'cis-k8s',
  'nsa-cisa',
  'mitre-attack',
];

export type LifecyclePhase = 'develop' | 'distribute' | 'deploy' | 'runtime';
export type SecurityLayer = 'cloud' | 'cluster' | 'container' | 'code';
export type RuleDomain =
  | 'pod-security'
  | 'workload'
  | 'rbac'
  | 'network'
  | 'secrets'
  | 'cluster'
  | 'supply-chain';

export interface RuleContext {
  inventory: Inventory;
  pssVersion: PssVersion;
}

/** One reason an object fails a rule. */
export interface Violation {
  /** Says what is wrong and where, naming the container and field (as Pod Security Admission does). */
  message: string;
  /** Field the violation is about; when it is missing in the object, the place where it belongs. */
  path: FieldPath;
  container?: string;
  /**
   * Tells apart several violations of one rule at one path and container (a Namespace without a ResourceQuota
   * and without a LimitRange): stable across runs, unlike the message, so alerts keep their identity.
   */
  facet?: string;
}

export interface RuleExamples {
  pass: readonly KubeObject[];
  fail: readonly KubeObject[];
}

export interface RuleDefinition {
  /** Equals the file name; stable. Renamed ids go to `aliases`. */
  id: string;
  aliases?: readonly string[];
  title: string;
  severity: Severity;
  domain: RuleDomain;
  /** Kinds the rule looks at. */
  kinds: readonly string[];
  phase: LifecyclePhase;
  layer: SecurityLayer;
  frameworks: Partial<Record<FrameworkId, readonly string[]>>;
  description: string;
  remediation: string;
  references: readonly string[];
  examples: RuleExamples;
  /**
   * What the rule needs that an admission webhook, which sees only the admitted object, does not have:
   * `needs-cluster` when it reports something missing elsewhere (no NetworkPolicy selects the pod);
   * `needs-cluster-for-templates` when it needs the namespace's LimitRange defaults, which the API server has
   * applied to a Pod before validating webhooks run but not to a pod template.
   * Such rules are left out at admission where they cannot be judged. Absent: the object alone decides.
   */
  admission?: 'needs-cluster' | 'needs-cluster-for-templates';
  /**
   * A cheap test shared by a family of rules (the same function in each): the engine runs it at most once per
   * object, and when it is false runs none of the family there. Only a shortcut: it may say false only where
   * `check` finds nothing (registry.test.ts holds every screened rule to that over its examples).
   */
  screen?: (object: KubeObject) => boolean;
  /** Pure: returns the violations of one object (empty when it passes). */
  check(object: KubeObject, context: RuleContext): readonly Violation[];
  /** JSON Patch operations that make the object pass; only where the change is safe to apply blindly. */
  fix?(object: KubeObject, context: RuleContext): readonly JsonPatchOperation[];
}

export type Rule = Readonly<RuleDefinition>;

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Validates the metadata once, at definition time, so a broken rule fails every test run, not a user's scan. */
export function defineRule(definition: RuleDefinition): Rule {
  const problems: string[] = [];
  if (!ID_PATTERN.test(definition.id)) problems.push('id must be kebab-case');
  if (definition.title.trim() === '') problems.push('title is empty');
  if (definition.description.trim() === '') problems.push('description is empty');
  if (definition.remediation.trim() === '') problems.push('remediation is empty');
  if (definition.kinds.length === 0) problems.push('kinds is empty');
  if (definition.examples.fail.length === 0) problems.push('needs at least one failing example');
  if (problems.length > 0)
    throw new PalisadeError('rule-invalid', `rule "${definition.id}": ${problems.join('; ')}`);
  return Object.freeze({ ...definition });
}

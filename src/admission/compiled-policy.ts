// A policy resolved against the rule registry once, and per namespace on first use: which rules run in which mode
// at which Pod Security Standards version. Resolution is cached because it runs on every admission request.
import { matchesGlob } from '../core/glob.ts';
import { type PssVersion, parsePssVersion } from '../core/pss-version.ts';
import type { Rule } from '../core/rule.ts';
import { resolveRuleIds, selectRules } from '../core/rule-selection.ts';
import { imageRegistryRule } from './image-registry-rule.ts';
import { modesFromNamespaceLabels, PSA_LABEL_PREFIX } from './namespace-labels.ts';
import {
  ADMISSION_MODES,
  type AdmissionMode,
  type AdmissionPolicy,
  type ModeSpecs,
  type RuleSetSpec,
} from './policy-config.ts';

/** Rules that run in one mode at one version. */
export interface RuleGroup {
  mode: AdmissionMode;
  pssVersion: PssVersion;
  rules: readonly Rule[];
  /**
   * Ids of rules of this group that audit mode also asks for at the same version: evaluated once, their findings
   * are audit violations too, as Pod Security Admission annotates an audit violation whatever else it does.
   */
  alsoAudited: ReadonlySet<string>;
}

export interface NamespaceRules {
  groups: readonly RuleGroup[];
  /** Problems met while resolving (an invalid namespace label, for example), shown as warnings. */
  notes: readonly string[];
}

const LEVEL_FRAMEWORKS = {
  privileged: [],
  baseline: ['pss-baseline'],
  restricted: ['pss-restricted'],
} as const;
const MAX_CACHED_NAMESPACES = 10_000;

export class CompiledPolicy {
  readonly policy: AdmissionPolicy;
  readonly mutationRules: readonly Rule[];
  /** Every rule the policy can run: built-in ones and the ones built from the policy (allowed registries). */
  readonly allRules: readonly Rule[];
  /** Ids and aliases of every rule, handed to the engine so that it does not rebuild the set on each request. */
  readonly knownRuleIds: ReadonlySet<string>;
  /** The policy's default Pod Security Standards version (mutation uses it). */
  readonly pssVersion: PssVersion;
  readonly #cache = new Map<string, NamespaceRules>();
  readonly #checkedKinds: ReadonlySet<string>;
  readonly #registryRule: Rule | undefined;

  constructor(policy: AdmissionPolicy, builtinRules: readonly Rule[]) {
    this.policy = policy;
    this.#registryRule =
      policy.images.allowedRegistries.length > 0
        ? imageRegistryRule(policy.images.allowedRegistries)
        : undefined;
    this.allRules = this.#registryRule ? [...builtinRules, this.#registryRule] : builtinRules;
    this.pssVersion = parsePssVersion(policy.pssVersion);
    this.knownRuleIds = new Set(this.allRules.flatMap((rule) => [rule.id, ...(rule.aliases ?? [])]));
    this.#checkedKinds = new Set(this.allRules.flatMap((rule) => rule.kinds));
    this.mutationRules = resolveRuleIds(
      builtinRules,
      policy.mutation.rules,
      `${policy.origin}: mutation.rules`,
    );
    // Resolve the defaults now, so that a policy that cannot be resolved fails at load time, not on a request.
    this.rulesFor(undefined, undefined);
  }

  /** Whether any rule checks objects of this kind (asked on every request, hence the set). */
  checksKind(kind: string): boolean {
    return this.#checkedKinds.has(kind);
  }

  isExemptNamespace(namespace: string | undefined): boolean {
    return (
      namespace !== undefined &&
      this.policy.exemptions.namespaces.some((glob) => matchesGlob(glob, namespace))
    );
  }

  isExemptUser(username: string): boolean {
    return this.policy.exemptions.usernames.includes(username);
  }

  isExemptRuntimeClass(runtimeClass: string | undefined): boolean {
    return runtimeClass !== undefined && this.policy.exemptions.runtimeClasses.includes(runtimeClass);
  }

  /** The rule groups for a namespace (undefined for cluster-scoped objects), given its labels when known. */
  rulesFor(
    namespace: string | undefined,
    labels: Readonly<Record<string, string>> | undefined,
  ): NamespaceRules {
    const useLabels = this.policy.namespaceLabels && labels !== undefined;
    const key = useLabels ? `${namespace ?? ''}\u0000${labelKey(labels)}` : `${namespace ?? ''}`;
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const resolved = this.#resolve(namespace, useLabels ? labels : undefined);
    if (this.#cache.size >= MAX_CACHED_NAMESPACES) this.#cache.clear();
    this.#cache.set(key, resolved);
    return resolved;
  }

  #resolve(
    namespace: string | undefined,
    labels: Readonly<Record<string, string>> | undefined,
  ): NamespaceRules {
    const notes: string[] = [];
    let modes: ModeSpecs = { ...this.policy.defaults };
    if (labels) {
      const fromLabels = modesFromNamespaceLabels(labels);
      notes.push(...fromLabels.notes);
      for (const mode of ADMISSION_MODES) {
        const labelled = fromLabels.modes[mode];
        if (labelled) modes[mode] = { ...modes[mode], ...labelled };
      }
    }
    const entry =
      namespace === undefined
        ? undefined
        : this.policy.namespaces.find((candidate) =>
            candidate.match.some((glob) => matchesGlob(glob, namespace)),
          );
    if (entry) modes = { ...modes, ...entry.modes };

    const chosen = new Map<string, { mode: AdmissionMode; version: string; rule: Rule; audited: boolean }>();
    const add = (mode: AdmissionMode, version: string, rules: readonly Rule[]) => {
      for (const rule of rules) {
        const key = `${rule.id}\u0000${version}`;
        const existing = chosen.get(key);
        if (!existing) chosen.set(key, { mode, version, rule, audited: mode === 'audit' });
        else if (mode === 'audit') existing.audited = true;
      }
    };
    // Strongest mode first: a rule both enforced and warned about at one version is enforced, and evaluated once.
    // At different versions (enforce pinned to v1.24, warn at latest) each runs at its own, as Pod Security
    // Admission evaluates every mode at its own version: a check newer than the pin still warns.
    for (const mode of ADMISSION_MODES) {
      const spec = modes[mode];
      if (spec) add(mode, spec.version ?? this.policy.pssVersion, this.#select(spec));
      const images = this.policy.images;
      if (this.#registryRule && images.registryMode === mode)
        add(mode, this.policy.pssVersion, [this.#registryRule]);
      if (images.disallowLatest === mode)
        add(mode, this.policy.pssVersion, this.#builtin('image-latest-tag'));
      const digest = images.requireDigest;
      if (
        digest?.mode === mode &&
        namespace !== undefined &&
        digest.namespaces.some((glob) => matchesGlob(glob, namespace))
      )
        add(mode, this.policy.pssVersion, this.#builtin('image-not-pinned-by-digest'));
    }
    const groups = new Map<string, RuleGroup & { rules: Rule[]; alsoAudited: Set<string> }>();
    for (const { mode, version, rule, audited } of chosen.values()) {
      const groupKey = `${mode}\u0000${version}`;
      let group = groups.get(groupKey);
      if (!group) {
        group = { mode, pssVersion: parsePssVersion(version), rules: [], alsoAudited: new Set() };
        groups.set(groupKey, group);
      }
      group.rules.push(rule);
      if (audited && mode !== 'audit') group.alsoAudited.add(rule.id);
    }
    return { groups: [...groups.values()], notes };
  }

  /** Every rule some namespace can run: what the webhook must be registered for. */
  reachableRules(): Rule[] {
    const found = new Map<string, Rule>();
    const addAll = (rules: readonly Rule[]) => {
      for (const rule of rules) found.set(rule.id, rule);
    };
    const specs = [this.policy.defaults, ...this.policy.namespaces.map((entry) => entry.modes)];
    for (const modes of specs)
      for (const mode of ADMISSION_MODES) if (modes[mode]) addAll(this.#select(modes[mode]));
    // Labels can raise any namespace to restricted.
    if (this.policy.namespaceLabels) addAll(this.#select({ level: 'restricted' }));
    if (this.#registryRule) addAll([this.#registryRule]);
    if (this.policy.images.disallowLatest) addAll(this.#builtin('image-latest-tag'));
    if (this.policy.images.requireDigest) addAll(this.#builtin('image-not-pinned-by-digest'));
    return [...found.values()];
  }

  #select(spec: RuleSetSpec): Rule[] {
    const frameworks = [...(spec.level ? LEVEL_FRAMEWORKS[spec.level] : []), ...(spec.frameworks ?? [])];
    const rules = spec.rules ?? [];
    // selectRules reads "nothing asked" as "everything"; in a policy an empty mode means no rules.
    if (frameworks.length === 0 && rules.length === 0) return [];
    return selectRules(this.allRules, { frameworks, rules, skipRules: spec.skipRules ?? [] });
  }

  #builtin(id: string): Rule[] {
    return this.allRules.filter((rule) => rule.id === id);
  }
}

function labelKey(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .filter((key) => key.startsWith(PSA_LABEL_PREFIX))
    .sort()
    .map((key) => `${key}=${labels[key]}`)
    .join(',');
}

// The admission policy file: which rules apply where, in which mode, who is exempt, image rules and mutation.
// Parsed strictly: every unknown field, unknown rule id or bad value is an error naming file, line and column.
import { isRecord } from '../core/kube-object.ts';
import { parsePssVersion } from '../core/pss-version.ts';
import { FRAMEWORK_IDS, type Rule } from '../core/rule.ts';
import { isFrameworkId } from '../core/rule-selection.ts';
import { readConfigText } from '../inputs/config-loader.ts';
import { type ConfigPath, YamlConfigReader } from './yaml-config-reader.ts';

export const ADMISSION_MODES = ['enforce', 'warn', 'audit'] as const;
export type AdmissionMode = (typeof ADMISSION_MODES)[number];
export const PSS_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type PssLevel = (typeof PSS_LEVELS)[number];
export const FAILURE_MODES = ['allow', 'deny'] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];

/** The rules of one mode: a Pod Security Standards level and/or frameworks and rule ids, minus skipped ids. */
export interface RuleSetSpec {
  level?: PssLevel;
  /** Pod Security Standards version (v1.N or latest); the policy's `pssVersion` when absent. */
  version?: string;
  frameworks?: string[];
  rules?: string[];
  skipRules?: string[];
}

export type ModeSpecs = Partial<Record<AdmissionMode, RuleSetSpec>>;

export interface NamespacePolicy {
  /** Namespace names or globs (`team-*`). */
  match: string[];
  modes: ModeSpecs;
}

export interface ImagePolicy {
  /** Registry hosts (`ghcr.io`) or repository prefixes (`ghcr.io/acme`); empty allows every registry. */
  allowedRegistries: string[];
  registryMode: AdmissionMode;
  /** Mode for images tagged `latest` or untagged; undefined when not checked. */
  disallowLatest?: AdmissionMode;
  /** Namespaces (names or globs) whose images must be pinned by digest, and the mode. */
  requireDigest?: { namespaces: string[]; mode: AdmissionMode };
}

export interface MutationPolicy {
  /** Rules whose fixes `/mutate` applies, in this order. */
  rules: string[];
  /** Replace values the user set explicitly (for example `allowPrivilegeEscalation: true`); off by default. */
  overrideExplicit: boolean;
}

export interface AdmissionPolicy {
  /** Where the policy came from, for messages. */
  origin: string;
  pssVersion: string;
  defaults: ModeSpecs;
  namespaces: NamespacePolicy[];
  /** Honour `pod-security.kubernetes.io/{enforce,warn,audit}[-version]` namespace labels. */
  namespaceLabels: boolean;
  exemptions: { namespaces: string[]; usernames: string[]; runtimeClasses: string[] };
  images: ImagePolicy;
  mutation: MutationPolicy;
  failureMode: FailureMode;
}

/** With no policy file: Pod Security Admission's common setup, enforce baseline and warn/audit restricted. */
export function defaultAdmissionPolicy(): AdmissionPolicy {
  return {
    origin: 'built-in default policy',
    pssVersion: 'latest',
    defaults: {
      enforce: { level: 'baseline' },
      warn: { level: 'restricted' },
      audit: { level: 'restricted' },
    },
    namespaces: [],
    namespaceLabels: false,
    exemptions: { namespaces: [], usernames: [], runtimeClasses: [] },
    images: { allowedRegistries: [], registryMode: 'enforce' },
    mutation: {
      rules: ['seccomp-profile-required', 'privilege-escalation', 'capabilities-drop-all'],
      overrideExplicit: false,
    },
    failureMode: 'allow',
  };
}

const TOP_KEYS = [
  'apiVersion',
  'kind',
  'pssVersion',
  'defaults',
  'namespaces',
  'namespaceLabels',
  'exemptions',
  'images',
  'mutation',
  'failureMode',
];
const RULE_SET_KEYS = ['level', 'version', 'frameworks', 'rules', 'skipRules'];
export const POLICY_API_VERSION = 'palisade.dev/v1alpha1';
export const POLICY_KIND = 'AdmissionPolicy';

export function loadAdmissionPolicy(file: string, knownRules: readonly Rule[]): AdmissionPolicy {
  return parseAdmissionPolicy(readConfigText(file, 'policy'), file, knownRules);
}

export function parseAdmissionPolicy(
  text: string,
  file: string,
  knownRules: readonly Rule[],
): AdmissionPolicy {
  const reader = new YamlConfigReader(text, file);
  const policy = defaultAdmissionPolicy();
  policy.origin = file;
  if (reader.problems.length === 0) readPolicy(reader, policy, knownRules);
  reader.throwIfProblems('admission policy');
  return policy;
}

function readPolicy(reader: YamlConfigReader, policy: AdmissionPolicy, knownRules: readonly Rule[]): void {
  const top = reader.mapping([], TOP_KEYS);
  if (!top) {
    if (reader.root !== undefined && reader.root !== null) return;
    reader.problem([], 'the policy file is empty');
    return;
  }
  if (top.apiVersion !== POLICY_API_VERSION)
    reader.problem(['apiVersion'], `apiVersion must be ${POLICY_API_VERSION}`);
  if (top.kind !== POLICY_KIND) reader.problem(['kind'], `kind must be ${POLICY_KIND}`);
  const ids = new Set(knownRules.flatMap((rule) => [rule.id, ...(rule.aliases ?? [])]));
  const checkIds = (path: ConfigPath, list: string[] | undefined) => {
    for (const [index, id] of (list ?? []).entries())
      if (!ids.has(id)) reader.problem([...path, index], `unknown rule id "${id}" (see \`palisade rules\`)`);
  };
  const version = reader.string(['pssVersion']);
  if (version !== undefined) {
    checkVersion(reader, ['pssVersion'], version);
    policy.pssVersion = version;
  }
  // An explicit `defaults` replaces the built-in ones entirely, so that what runs is what is written. Left empty it
  // would turn enforcement off without a word: `defaults: {}` says that on purpose.
  if (top.defaults === null)
    reader.problem(
      ['defaults'],
      'defaults is empty, which would remove every default mode (enforce included); delete the key to keep the built-in defaults, or write `defaults: {}` to have none',
    );
  else if (top.defaults !== undefined) policy.defaults = readModes(reader, ['defaults'], checkIds);
  const namespaces = reader.get(['namespaces']);
  if (namespaces !== undefined && namespaces !== null) {
    if (!Array.isArray(namespaces)) reader.problem(['namespaces'], 'namespaces must be a list');
    else
      namespaces.forEach((_, index) => {
        const path = ['namespaces', index];
        if (!reader.mapping(path, ['match', ...ADMISSION_MODES])) {
          reader.problem(path, 'each namespaces entry must be a mapping with match and modes');
          return;
        }
        const match = namespacePatterns(reader, [...path, 'match']);
        if (match.length === 0) reader.problem([...path, 'match'], 'match needs at least one name');
        policy.namespaces.push({ match, modes: readModes(reader, path, checkIds, true) });
      });
  }
  policy.namespaceLabels = reader.boolean(['namespaceLabels']) ?? false;
  if (reader.mapping(['exemptions'], ['namespaces', 'usernames', 'runtimeClasses'])) {
    policy.exemptions.namespaces = namespacePatterns(reader, ['exemptions', 'namespaces']);
    policy.exemptions.usernames = reader.stringList(['exemptions', 'usernames']) ?? [];
    policy.exemptions.runtimeClasses = reader.stringList(['exemptions', 'runtimeClasses']) ?? [];
  }
  readImages(reader, policy);
  if (top.mutation !== undefined && reader.mapping(['mutation'], ['rules', 'overrideExplicit'])) {
    const rules = reader.stringList(['mutation', 'rules']);
    checkIds(['mutation', 'rules'], rules);
    // A rule without a fix can only ever be a no-op in a mutation list: most likely the wrong id.
    for (const [index, id] of (rules ?? []).entries()) {
      const rule = knownRules.find((known) => known.id === id || known.aliases?.includes(id));
      if (rule && !rule.fix)
        reader.problem(
          ['mutation', 'rules', index],
          `rule "${id}" has no automatic fix, so mutation cannot apply it (rules with fixes: \`palisade rules\`)`,
        );
    }
    if (rules) policy.mutation.rules = rules;
    policy.mutation.overrideExplicit = reader.boolean(['mutation', 'overrideExplicit']) ?? false;
  }
  policy.failureMode = reader.oneOf(['failureMode'], FAILURE_MODES) ?? 'allow';
}

// An allowed registry is a host (with a port, or an IPv6 address in brackets) and optionally a repository prefix
// under it, as image references write them. A scheme, a wildcard or a space can match no image, and with
// enforcement on would deny every pod: refused at the entry's line instead.
const REGISTRY_HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/i;
const REPOSITORY_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/i;

function registryEntryProblem(entry: string): string | undefined {
  const [host = '', ...components] = entry.trim().replace(/\/+$/, '').split('/');
  const example =
    'write a host or a repository prefix, as image references do: registry.example.com, ghcr.io/acme';
  if (!REGISTRY_HOST.test(host) || !components.every((component) => REPOSITORY_COMPONENT.test(component)))
    return `"${entry}" is not a registry host or repository prefix (no scheme, wildcards or spaces; ${example})`;
  // Docker reads a first component as a registry only with a dot or a port, or as localhost: `nginx` is
  // docker.io/library/nginx, so an entry `nginx` would match nothing.
  if (!/[.:[]/.test(host) && host.toLowerCase() !== 'localhost')
    return `"${entry}" names no registry: "${host}" has no dot or port, so image references never read it as one (Docker Hub images are docker.io/..., e.g. docker.io/library/${host})`;
  return undefined;
}

// A namespace name is a DNS label; patterns add `*` and `?`. Anything else can match no namespace, and an exact
// exemption goes into the webhook configurations' namespaceSelector, where the API server refuses it.
const NAMESPACE_PATTERN = /^[a-z0-9*?]([-a-z0-9*?]{0,61}[a-z0-9*?])?$/;

function namespacePatterns(reader: YamlConfigReader, path: ConfigPath): string[] {
  const list = reader.stringList(path) ?? [];
  list.forEach((pattern, index) => {
    if (!NAMESPACE_PATTERN.test(pattern))
      reader.problem(
        [...path, index],
        `"${pattern}" is not a namespace name or pattern (lower case letters, digits and -, with * or ? as wildcards, at most 63 characters)`,
      );
  });
  return list;
}

function readImages(reader: YamlConfigReader, policy: AdmissionPolicy): void {
  if (!reader.mapping(['images'], ['allowedRegistries', 'registryMode', 'disallowLatest', 'requireDigest']))
    return;
  policy.images.allowedRegistries = reader.stringList(['images', 'allowedRegistries']) ?? [];
  policy.images.allowedRegistries.forEach((entry, index) => {
    const problem = registryEntryProblem(entry);
    if (problem) reader.problem(['images', 'allowedRegistries', index], problem);
  });
  policy.images.registryMode = reader.oneOf(['images', 'registryMode'], ADMISSION_MODES) ?? 'enforce';
  const latest = reader.get(['images', 'disallowLatest']);
  if (latest === true) policy.images.disallowLatest = 'enforce';
  else if (latest !== false && latest !== undefined) {
    const mode = reader.oneOf(['images', 'disallowLatest'], ADMISSION_MODES);
    if (mode) policy.images.disallowLatest = mode;
  }
  if (reader.mapping(['images', 'requireDigest'], ['namespaces', 'mode'])) {
    const namespaces = namespacePatterns(reader, ['images', 'requireDigest', 'namespaces']);
    const mode = reader.oneOf(['images', 'requireDigest', 'mode'], ADMISSION_MODES) ?? 'enforce';
    policy.images.requireDigest = { namespaces, mode };
  }
}

function readModes(
  reader: YamlConfigReader,
  path: ConfigPath,
  checkIds: (path: ConfigPath, list: string[] | undefined) => void,
  alreadyChecked = false,
): ModeSpecs {
  const modes: ModeSpecs = {};
  if (!alreadyChecked && !reader.mapping(path, ADMISSION_MODES)) return modes;
  const given = reader.get(path);
  for (const mode of ADMISSION_MODES) {
    const modePath = [...path, mode];
    // `enforce:` with nothing under it reads as no enforcement at all: say so rather than drop the mode.
    if (isRecord(given) && mode in given && given[mode] === null) {
      reader.problem(
        modePath,
        `${mode} is empty; give it a level, frameworks or rules, or remove it to not ${mode} here`,
      );
      continue;
    }
    if (!reader.mapping(modePath, RULE_SET_KEYS)) continue;
    const spec: RuleSetSpec = {};
    const level = reader.oneOf([...modePath, 'level'], PSS_LEVELS);
    if (level) spec.level = level;
    const version = reader.string([...modePath, 'version']);
    if (version !== undefined) {
      checkVersion(reader, [...modePath, 'version'], version);
      spec.version = version;
    }
    const frameworks = reader.stringList([...modePath, 'frameworks']);
    for (const [index, framework] of (frameworks ?? []).entries())
      if (!isFrameworkId(framework))
        reader.problem(
          [...modePath, 'frameworks', index],
          `unknown framework "${framework}" (expected one of ${FRAMEWORK_IDS.join(', ')})`,
        );
    if (frameworks) spec.frameworks = frameworks;
    for (const key of ['rules', 'skipRules'] as const) {
      const list = reader.stringList([...modePath, key]);
      checkIds([...modePath, key], list);
      if (list) spec[key] = list;
    }
    // `enforce: { version: v1.24 }` or `{ skipRules: [...] }` alone selects nothing, and would turn the mode off
    // without a word (`level: privileged` says that on purpose).
    if (spec.level === undefined && !spec.frameworks?.length && !spec.rules?.length)
      reader.problem(
        modePath,
        `${mode} selects no rules; give it a level, frameworks or rules${path[0] === 'namespaces' ? ` (a namespace entry's ${mode} replaces the default's whole, it does not add to it)` : ''}`,
      );
    modes[mode] = spec;
  }
  return modes;
}

function checkVersion(reader: YamlConfigReader, path: ConfigPath, version: string): void {
  try {
    parsePssVersion(version);
  } catch (error) {
    reader.problem(path, (error as Error).message);
  }
}

// `palisade-test.yaml`: an offline admission test in the style of `kyverno test`. It names a policy (or rules),
// resources, optional namespace labels and user, and the expected result per rule and `Kind/namespace/name`,
// plus expected patched resources for mutation.
import { existsSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { PalisadeError } from '../core/errors.ts';
import { IMAGE_REGISTRY_RULE_ID } from './image-registry-rule.ts';
import { type ConfigPath, YamlConfigReader } from './yaml-config-reader.ts';

export const POLICY_TEST_FILE = 'palisade-test.yaml';
export const EXPECTED_RESULTS = ['pass', 'fail', 'warn', 'audit', 'skip'] as const;
export type ExpectedResult = (typeof EXPECTED_RESULTS)[number];

export interface ExpectedRuleResult {
  rule: string;
  resources: string[];
  result: ExpectedResult;
  /** Where it was written, for messages. */
  at: string;
}

export interface ExpectedMutation {
  resource: string;
  /** File holding the expected object after the patch. */
  patched: string;
  at: string;
}

export interface PolicyTest {
  file: string;
  name: string;
  /** Policy file (absolute); undefined when `rules` is used. */
  policy?: string;
  /** Where the test names its policy (`file:line:column`), for messages about the policy. */
  policyAt?: string;
  /** Shorthand: these rules enforced everywhere. */
  rules?: string[];
  resources: string[];
  operation: 'CREATE' | 'UPDATE';
  /** Previous versions of the resources, for UPDATE. */
  oldResources: string[];
  namespaces: { name: string; labels: Record<string, string> }[];
  userInfo: { username: string; groups: string[] };
  results: ExpectedRuleResult[];
  mutations: ExpectedMutation[];
}

const TOP_KEYS = [
  'apiVersion',
  'kind',
  'name',
  'policy',
  'rules',
  'resources',
  'operation',
  'oldResources',
  'namespaces',
  'userInfo',
  'results',
  'mutations',
];
export const POLICY_TEST_API_VERSION = 'palisade.dev/v1alpha1';
export const POLICY_TEST_KIND = 'PolicyTest';
// The name may be any path segment name (RBAC objects are called `system:node-proxier`); the namespace is a DNS label.
const RESOURCE_ID = /^[A-Za-z][A-Za-z0-9]*\/([a-z0-9.-]+\/)?[^/\s]+$/;

/** `knownRuleIds`: every rule id (and alias) there is; an expectation naming another id is a mistake in the file. */
export async function loadPolicyTest(file: string, knownRuleIds?: ReadonlySet<string>): Promise<PolicyTest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new PalisadeError('input-unreadable', `cannot read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parsePolicyTest(text, file, knownRuleIds);
}

export function parsePolicyTest(text: string, file: string, knownRuleIds?: ReadonlySet<string>): PolicyTest {
  const reader = new YamlConfigReader(text, file);
  const base = dirname(file);
  const test: PolicyTest = {
    file,
    name: file,
    resources: [],
    operation: 'CREATE',
    oldResources: [],
    namespaces: [],
    userInfo: { username: 'palisade-test', groups: ['system:authenticated'] },
    results: [],
    mutations: [],
  };
  if (reader.problems.length === 0 && reader.mapping([], TOP_KEYS)) read(reader, test, base, knownRuleIds);
  else if (reader.problems.length === 0) reader.problem([], 'a palisade-test.yaml must be a mapping');
  reader.throwIfProblems('policy test');
  return test;
}

/** The real path (symbolic links followed) when it exists, else the path as given. */
function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** True when `path` is `directory` or below it (both real paths; a name such as `..x` is inside). */
export function isInsideDirectory(directory: string, path: string): boolean {
  const offset = relative(directory, path);
  return offset !== '..' && !offset.startsWith(`..${sep}`) && !isAbsolute(offset);
}

/**
 * A file the test names, resolved against the test's directory. It must stay inside that directory (also
 * through symbolic links): a test is a unit someone may hand over, and running it must not read elsewhere.
 */
function inside(reader: YamlConfigReader, path: ConfigPath, base: string, name: string): string {
  const full = resolve(base, name);
  if (!isInsideDirectory(realOrSelf(base), realOrSelf(full)))
    reader.problem(
      path,
      `"${name}" is outside the test's directory ${base}; a test reads only files beside it`,
    );
  else if (!existsSync(full)) reader.problem(path, `"${name}" does not exist in ${base}`);
  return full;
}

function read(
  reader: YamlConfigReader,
  test: PolicyTest,
  base: string,
  knownRuleIds: ReadonlySet<string> | undefined,
): void {
  if (reader.get(['apiVersion']) !== POLICY_TEST_API_VERSION)
    reader.problem(['apiVersion'], `apiVersion must be ${POLICY_TEST_API_VERSION}`);
  if (reader.get(['kind']) !== POLICY_TEST_KIND) reader.problem(['kind'], `kind must be ${POLICY_TEST_KIND}`);
  test.name = reader.string(['name']) ?? test.file;
  const policy = reader.string(['policy']);
  const rules = reader.stringList(['rules']);
  if ((policy === undefined) === (rules === undefined))
    reader.problem([], 'give exactly one of policy or rules');
  if (policy !== undefined) {
    test.policy = inside(reader, ['policy'], base, policy);
    test.policyAt = reader.at(['policy']);
  }
  if (rules !== undefined) test.rules = rules;
  // Only built-in rules can be enforced by id (the registry rule comes from a policy's images section).
  for (const [index, id] of (rules ?? []).entries())
    if (knownRuleIds !== undefined && (!knownRuleIds.has(id) || id === IMAGE_REGISTRY_RULE_ID))
      reader.problem(
        ['rules', index],
        id === IMAGE_REGISTRY_RULE_ID
          ? `"${id}" comes from a policy's images.allowedRegistries: test it with a policy file`
          : `unknown rule "${id}" (palisade rules lists them)`,
      );
  const resources = reader.stringList(['resources']);
  if (!resources || resources.length === 0)
    reader.problem(['resources'], 'resources must list manifest files');
  test.resources = (resources ?? []).map((path, index) => inside(reader, ['resources', index], base, path));
  test.operation = reader.oneOf(['operation'], ['CREATE', 'UPDATE'] as const) ?? 'CREATE';
  test.oldResources = (reader.stringList(['oldResources']) ?? []).map((path, index) =>
    inside(reader, ['oldResources', index], base, path),
  );
  if (test.operation === 'UPDATE' && test.oldResources.length === 0)
    reader.problem(['oldResources'], 'operation UPDATE needs oldResources (the objects before the update)');
  readNamespaces(reader, test);
  if (reader.mapping(['userInfo'], ['username', 'groups'])) {
    test.userInfo.username = reader.string(['userInfo', 'username']) ?? test.userInfo.username;
    test.userInfo.groups = reader.stringList(['userInfo', 'groups']) ?? test.userInfo.groups;
  }
  forEachItem(reader, ['results'], (path) => {
    if (!reader.mapping(path, ['rule', 'resource', 'resources', 'result'])) return;
    const rule = reader.string([...path, 'rule']);
    const result = reader.oneOf([...path, 'result'], EXPECTED_RESULTS);
    const single = reader.string([...path, 'resource']);
    const list = reader.stringList([...path, 'resources']) ?? [];
    const ids = single !== undefined ? [single, ...list] : list;
    if (rule === undefined) reader.problem(path, 'each result needs a rule');
    else if (knownRuleIds !== undefined && !knownRuleIds.has(rule))
      reader.problem([...path, 'rule'], `unknown rule "${rule}" (palisade rules lists them)`);
    if (result === undefined && reader.get([...path, 'result']) === undefined)
      reader.problem(path, `each result needs result: ${EXPECTED_RESULTS.join('|')}`);
    if (ids.length === 0)
      reader.problem(path, 'each result needs resource or resources (Kind/namespace/name)');
    for (const id of ids)
      if (!RESOURCE_ID.test(id)) reader.problem(path, `"${id}" is not Kind/namespace/name (or Kind/name)`);
    if (rule !== undefined && result !== undefined)
      test.results.push({ rule, resources: ids, result, at: reader.at(path) });
  });
  forEachItem(reader, ['mutations'], (path) => {
    if (!reader.mapping(path, ['resource', 'patched'])) return;
    const resource = reader.string([...path, 'resource']);
    const patched = reader.string([...path, 'patched']);
    if (resource === undefined || patched === undefined)
      reader.problem(path, 'each mutation needs resource and patched');
    else if (!RESOURCE_ID.test(resource))
      reader.problem([...path, 'resource'], `"${resource}" is not Kind/namespace/name (or Kind/name)`);
    else
      test.mutations.push({
        resource,
        patched: inside(reader, [...path, 'patched'], base, patched),
        at: reader.at(path),
      });
  });
  if (test.results.length === 0 && test.mutations.length === 0 && reader.problems.length === 0)
    reader.problem([], 'the test expects nothing: add results or mutations');
}

function readNamespaces(reader: YamlConfigReader, test: PolicyTest): void {
  forEachItem(reader, ['namespaces'], (path) => {
    if (!reader.mapping(path, ['name', 'labels'])) return;
    const name = reader.string([...path, 'name']);
    const labels = reader.get([...path, 'labels']) ?? {};
    const valid =
      typeof labels === 'object' &&
      labels !== null &&
      !Array.isArray(labels) &&
      Object.values(labels).every((value) => typeof value === 'string');
    if (!valid) reader.problem([...path, 'labels'], 'labels must map names to strings');
    if (name === undefined) reader.problem(path, 'each namespace needs a name');
    else test.namespaces.push({ name, labels: valid ? (labels as Record<string, string>) : {} });
  });
}

function forEachItem(reader: YamlConfigReader, path: ConfigPath, visit: (path: ConfigPath) => void): void {
  const value = reader.get(path);
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    reader.problem(path, `${path.join('.')} must be a list`);
    return;
  }
  value.forEach((_, index) => {
    visit([...path, index]);
  });
}

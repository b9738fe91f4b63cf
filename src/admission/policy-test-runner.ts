// Runs a `palisade-test.yaml` through the same decision code as the webhook: each resource becomes the
// AdmissionReview request the API server would send, so a passing offline test means the same answer in a cluster.
import { dirname } from 'node:path';
import { PalisadeError } from '../core/errors.ts';
import { applyPatch } from '../core/json-patch.ts';
import { formatRef, type KubeObject, refOf } from '../core/kube-object.ts';
import { apiGroupOf } from '../core/pod-spec.ts';
import type { Rule } from '../core/rule.ts';
import { loadManifests } from '../inputs/manifest-loader.ts';
import type { AdmissionRequest } from './admission-review.ts';
import { CompiledPolicy } from './compiled-policy.ts';
import { diffJson } from './json-diff.ts';
import { jsonEqual } from './json-equal.ts';
import { resourceOfKind } from './kind-resources.ts';
import { mutateRequest } from './mutation-decision.ts';
import { defaultAdmissionPolicy, loadAdmissionPolicy } from './policy-config.ts';
import type { PolicyTest } from './policy-test-file.ts';
import { type ValidationDecision, validateRequest } from './validation-decision.ts';

export interface TestCaseResult {
  test: string;
  file: string;
  /** Rule id, `mutation`, or `error` for a test that could not run. */
  rule: string;
  resource: string;
  expected: string;
  actual: string;
  passed: boolean;
  detail?: string;
}

/**
 * The test's policy, ready to decide. A policy file that cannot be read or is invalid is a mistake in the test's
 * input, not a test that failed: it throws a `config-invalid` error naming the test and the policy's problems
 * (file:line:column), which the CLI reports with exit code 2.
 */
export function compilePolicyTest(test: PolicyTest, rules: readonly Rule[]): CompiledPolicy {
  if (test.policy !== undefined) {
    const file = test.policy;
    try {
      return new CompiledPolicy(loadAdmissionPolicy(file, rules), rules);
    } catch (error) {
      if (!(error instanceof PalisadeError)) throw error;
      throw new PalisadeError(
        'config-invalid',
        `${test.policyAt ?? test.file}: the test's policy cannot be used: ${error.message}`,
        { cause: error },
      );
    }
  }
  const policy = defaultAdmissionPolicy();
  policy.origin = `${test.file}: rules`;
  policy.defaults = { enforce: { rules: test.rules ?? [] } };
  // Enforced only, as documented: mutating with their fixes would judge a patched pod the cluster never sees (a
  // webhook enforcing these rules without mutation denies the plain pod); mutation needs a policy that asks for it.
  policy.mutation.rules = [];
  return new CompiledPolicy(policy, rules);
}

async function loadObjects(
  files: readonly string[],
  cwd: string,
): Promise<{ objects: Map<string, KubeObject>; problems: string[] }> {
  const loaded = await loadManifests(files, { cwd });
  const problems = loaded.issues
    .filter((issue) => issue.severity === 'error')
    .map((issue) => `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`);
  const objects = new Map<string, KubeObject>();
  const seen = new Map<string, string>();
  for (const entry of loaded.entries) {
    const id = resourceId(entry.object);
    const place = entry.source.type === 'file' ? `${entry.source.file}:${entry.source.line}` : id;
    const first = seen.get(id);
    // Expectations name resources by id: a second object of the same id would hide the first from every check.
    if (first !== undefined) problems.push(`${place}: ${id} is defined twice (first at ${first})`);
    else seen.set(id, place);
    objects.set(id, entry.object);
  }
  return { objects, problems };
}

/** `Kind/namespace/name`; a namespaced object without a namespace lands in `default`, as `kubectl apply` does. */
export function resourceId(object: KubeObject): string {
  const ref = refOf(object);
  const namespaced =
    object.kind !== 'Namespace' && resourceOfKind(object.kind) !== undefined && !isClusterScoped(object.kind);
  if (namespaced && ref.namespace === undefined) ref.namespace = 'default';
  return formatRef(ref);
}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'PriorityClass',
]);
function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

function requestFor(
  test: PolicyTest,
  object: KubeObject,
  index: number,
  oldObject?: KubeObject,
): AdmissionRequest {
  const group = apiGroupOf(object.apiVersion);
  const version = object.apiVersion.slice(object.apiVersion.indexOf('/') + 1);
  const resource = resourceOfKind(object.kind)?.resource ?? `${object.kind.toLowerCase()}s`;
  const id = resourceId(object).split('/');
  const request: AdmissionRequest = {
    apiVersion: 'admission.k8s.io/v1',
    uid: `palisade-test-${index}`,
    kind: { group, version, kind: object.kind },
    resource: { group, version, resource },
    operation: test.operation,
    userInfo: test.userInfo,
    object,
    dryRun: false,
  };
  if (id.length === 3) request.namespace = id[1] as string;
  const name = object.metadata.name;
  if (name !== undefined) request.name = name;
  if (oldObject) request.oldObject = oldObject;
  return request;
}

function actualFor(decision: ValidationDecision, rule: string): { actual: string; detail?: string } {
  if (decision.outcome === 'skipped')
    return { actual: 'skip', detail: `not evaluated: ${decision.skipReason}` };
  // A rule may run in several modes at different versions: the strongest mode that found something answers.
  const ofRule = decision.results.filter((candidate) => candidate.ruleId === rule);
  const result = ofRule.find((candidate) => candidate.findings.length > 0) ?? ofRule[0];
  if (!result) return { actual: 'skip', detail: 'rule not active for this resource' };
  if (decision.errors.some((error) => error.ruleId === rule))
    return { actual: 'error', detail: 'the rule failed' };
  if (result.findings.length === 0) return { actual: 'pass' };
  const detail = result.findings.map((finding) => finding.message).join('; ');
  return { actual: result.mode === 'enforce' ? 'fail' : result.mode, detail };
}

export interface TestResources {
  current: Map<string, KubeObject>;
  /** UPDATE tests: the object before, for each resource. */
  previous?: Map<string, KubeObject>;
}

/**
 * A test's resources, read before any test runs: an unreadable file, or an UPDATE resource without its old
 * object, is a mistake in the test (thrown as config-invalid, reported with the others), not a mismatch.
 */
export async function loadTestResources(test: PolicyTest): Promise<TestResources> {
  const cwd = dirname(test.file);
  const current = await loadObjects(test.resources, cwd);
  const previous = test.oldResources.length > 0 ? await loadObjects(test.oldResources, cwd) : undefined;
  const problems = [...current.problems, ...(previous?.problems ?? [])];
  if (test.operation === 'UPDATE')
    for (const id of current.objects.keys())
      if (!previous?.objects.has(id))
        problems.push(
          `${test.file}: ${id} has no old object in oldResources (an UPDATE test judges each resource against the version it replaces)`,
        );
  if (problems.length > 0) throw new PalisadeError('config-invalid', problems.join('\n'));
  return previous ? { current: current.objects, previous: previous.objects } : { current: current.objects };
}

/** `policy` and `resources`: what the caller has read already (see compilePolicyTest and loadTestResources). */
export async function runPolicyTestFile(
  test: PolicyTest,
  rules: readonly Rule[],
  now: Date,
  policy: CompiledPolicy = compilePolicyTest(test, rules),
  resources?: TestResources,
): Promise<TestCaseResult[]> {
  const base = { test: test.name, file: test.file };
  const cwd = dirname(test.file);
  const { current, previous } = resources ?? (await loadTestResources(test));
  const labels = new Map(test.namespaces.map((namespace) => [namespace.name, namespace.labels]));
  const namespaceLabels = (namespace: string) => labels.get(namespace);
  const out: TestCaseResult[] = [];
  const decisions = new Map<string, ValidationDecision>();
  const requests = new Map<string, AdmissionRequest>();
  [...current.entries()].forEach(([id, object], index) => {
    const request = requestFor(test, object, index, previous?.get(id));
    requests.set(id, request);
    decisions.set(id, validateRequest(asMutated(request, policy), { policy, now, namespaceLabels }));
  });
  for (const expected of test.results)
    for (const resource of expected.resources) {
      const decision = decisions.get(resource);
      if (!decision) {
        out.push({
          ...base,
          rule: expected.rule,
          resource,
          expected: expected.result,
          actual: 'missing',
          passed: false,
          detail: `${expected.at}: no resource ${resource} in the test's resources`,
        });
        continue;
      }
      const { actual, detail } = actualFor(decision, expected.rule);
      const row: TestCaseResult = {
        ...base,
        rule: expected.rule,
        resource,
        expected: expected.result,
        actual,
        passed: actual === expected.result,
      };
      if (detail !== undefined) row.detail = detail;
      out.push(row);
    }
  for (const expected of test.mutations)
    out.push(await checkMutation(test, expected, requests.get(expected.resource), policy, cwd));
  return out;
}

/**
 * The request as the validating webhook sees it: the API server runs mutating admission first, so with mutation
 * rules configured (the install registers /mutate too) validation judges the patched object, not the one sent.
 */
function asMutated(request: AdmissionRequest, policy: CompiledPolicy): AdmissionRequest {
  const patch = mutateRequest(request, policy).mutation?.patch ?? [];
  if (patch.length === 0 || !request.object) return request;
  return { ...request, object: applyPatch(request.object, patch) };
}

async function checkMutation(
  test: PolicyTest,
  expected: PolicyTest['mutations'][number],
  request: AdmissionRequest | undefined,
  policy: CompiledPolicy,
  cwd: string,
): Promise<TestCaseResult> {
  const row = {
    test: test.name,
    file: test.file,
    rule: 'mutation',
    resource: expected.resource,
    expected: 'patched',
  };
  if (!request?.object)
    return {
      ...row,
      actual: 'missing',
      passed: false,
      detail: `${expected.at}: no resource ${expected.resource}`,
    };
  const wanted = await loadObjects([expected.patched], cwd);
  const target = [...wanted.objects.values()][0];
  if (wanted.problems.length > 0 || !target)
    return {
      ...row,
      actual: 'error',
      passed: false,
      detail: wanted.problems.join('; ') || `${expected.patched} holds no object`,
    };
  const decision = mutateRequest(request, policy);
  const patched = applyPatch(request.object, decision.mutation?.patch ?? []);
  if (!jsonEqual(patched, target)) {
    const difference = diffJson(target, patched)
      .slice(0, 5)
      .map(
        (operation) =>
          `${operation.op} ${operation.path}${'value' in operation ? ` ${JSON.stringify(operation.value)}` : ''}`,
      );
    return {
      ...row,
      actual: 'different',
      passed: false,
      detail: `patched object differs from ${expected.patched}: ${difference.join('; ')}`,
    };
  }
  // A second pass over the result must change nothing, or the API server's reinvocation would keep patching.
  const again = mutateRequest({ ...request, object: patched }, policy);
  if ((again.mutation?.patch.length ?? 0) > 0)
    return {
      ...row,
      actual: 'not-idempotent',
      passed: false,
      detail: 'a second mutation pass still patches the object',
    };
  return { ...row, actual: 'patched', passed: true };
}

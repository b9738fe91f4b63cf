// `palisade rbac` end to end on real files: answers name subject, binding, role and rule, with where they were read.
// The command is run in-process through the whole CLI with captured streams (test/cli/cli-harness.ts).
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runPalisade } from '../cli/cli-harness.ts';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'rbac');

function rbac(args: string[], stdin?: string) {
  return runPalisade(['rbac', ...args], { cwd: fixtures, ...(stdin === undefined ? {} : { stdin }) });
}

/** RoleBinding ns/b of ClusterRole view, its one subject on line 6 (as written, in flow style). */
function viewBinding(subject: string): string {
  return [
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: RoleBinding',
    'metadata: {name: b, namespace: ns}',
    'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}',
    'subjects:',
    `- ${subject}`,
  ].join('\n');
}

/** Runs a command line that is a usage error: exit 2, and the message users see on stderr. */
async function usageError(args: string[]): Promise<string> {
  const run = await rbac(args);
  assert.equal(run.code, 2, `expected a usage error for ${args.join(' ')}: ${run.stderr}`);
  assert.equal(run.stdout, '', args.join(' '));
  assert.match(run.stderr, /^palisade rbac: /, args.join(' '));
  return run.stderr;
}

describe('palisade rbac who-can', () => {
  it('lists subjects with the binding, role, rule and file position that grant it', async () => {
    const run = await rbac(['who-can', 'get', 'secrets', '-n', 'web', 'cluster.yaml']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Who can get secrets in namespace web:/);
    assert.match(
      run.stdout,
      /ServiceAccount ops\/installer, everywhere\n {4}ClusterRoleBinding installer-admin \(cluster\.yaml:67\) -> ClusterRole cluster-admin \(Kubernetes default\)\n {6}rules\[0\]: \* \* \[\*\]/,
    );
    assert.match(
      run.stdout,
      /Group developers, in namespace web\n {4}RoleBinding web\/developers-edit \(cluster\.yaml:80\) -> ClusterRole edit \(Kubernetes default\)\n {6}rules\[\d+\]: get,list,watch .*secrets.* \(aggregated from ClusterRole system:aggregate-to-edit\)/,
    );
    assert.doesNotMatch(run.stdout, /frontend/);
  });

  it('in another namespace the RoleBinding does not count', async () => {
    const run = await rbac(['who-can', 'get', 'secrets', '-n', 'ops', 'cluster.yaml']);
    assert.doesNotMatch(run.stdout, /developers/);
    assert.match(run.stdout, /installer/);
  });

  it('JSON names the same grants with locations', async () => {
    const run = await rbac([
      'who-can',
      'create',
      'deployments',
      '-n',
      'ops',
      'cluster.yaml',
      '--format',
      'json',
    ]);
    const answer = JSON.parse(run.stdout) as {
      request: { apiGroup: string; namespace: string };
      subjects: {
        subject: { name: string };
        binding: { name: string; location?: { line: number } };
        role: { name: string; origin: string };
        rules: { index: number }[];
      }[];
    };
    assert.equal(answer.request.apiGroup, 'apps');
    assert.deepEqual(
      answer.subjects
        .map((entry) => `${entry.subject.name} ${entry.binding.name} ${entry.role.name} ${entry.role.origin}`)
        .sort(),
      ['frontend frontend-deploys-ops deployer inventory', 'installer installer-admin cluster-admin default'],
    );
    assert.equal(
      answer.subjects.find((entry) => entry.subject.name === 'frontend')?.binding.location?.line,
      53,
    );
  });

  it('reads standard input', async () => {
    const run = await rbac(
      ['who-can', 'list', 'pods', '-'],
      [
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRoleBinding',
        'metadata: {name: viewers}',
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}',
        'subjects: [{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}]',
      ].join('\n'),
    );
    assert.match(
      run.stdout,
      /User alice, everywhere\n {4}ClusterRoleBinding viewers \(<stdin>:1\) -> ClusterRole view/,
    );
  });

  it('non-resource URLs', async () => {
    const run = await rbac(['who-can', 'get', '/metrics', 'cluster.yaml']);
    assert.match(run.stdout, /Who can get \/metrics:\n {2}ServiceAccount ops\/installer, everywhere/);
  });
});

describe('palisade rbac can', () => {
  it('yes with the grant, exit 0', async () => {
    const run = await rbac(['can', 'group:developers', 'create', 'pods/exec', '-n', 'web', 'cluster.yaml']);
    assert.equal(run.code, 0);
    assert.match(
      run.stdout,
      /^yes: Group developers \(groups: developers, system:authenticated\) can create pods\/exec in namespace web\n {2}RoleBinding web\/developers-edit/,
    );
  });

  it('a user in a group, given with --as-group', async () => {
    const run = await rbac([
      'can',
      'user:alice',
      'get',
      'secrets',
      '-n',
      'web',
      '--as-group',
      'developers',
      'cluster.yaml',
    ]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /as Group developers:/);
  });

  it('no, exit 1', async () => {
    const run = await rbac(['can', 'sa:web/frontend', 'create', 'deployments', '-n', 'web', 'cluster.yaml']);
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /^no: ServiceAccount web\/frontend .* cannot create deployments\.apps in namespace web/,
    );
    assert.match(
      run.stdout,
      /\n {2}bindings that name it or its groups:\n {4}RoleBinding ops\/frontend-deploys-ops \(cluster\.yaml:53\) -> Role ops\/deployer \(cluster\.yaml:43\)\n$/,
    );
  });

  it('asked without -n: no for every namespace at once, naming the namespaces where RoleBindings allow it', async () => {
    const binding = [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: RoleBinding',
      'metadata: {name: view, namespace: ns1}',
      'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}',
      'subjects: [{kind: User, name: viewer}]',
    ].join('\n');
    const run = await rbac(['can', 'user:viewer', 'list', 'pods', '-'], binding);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stdout,
      /^no: User viewer .* cannot list pods in every namespace \(asked without -n\); only in namespace ns1:\n {2}RoleBinding ns1\/view \(<stdin>:1\) -> ClusterRole view/,
    );
    const json = JSON.parse(
      (await rbac(['can', 'user:viewer', 'list', 'pods', '-', '-f', 'json'], binding)).stdout,
    );
    assert.equal(json.allowed, false);
    assert.deepEqual(
      json.namespaceGrants.map((grant: { namespace: string }) => grant.namespace),
      ['ns1'],
    );
  });

  it('JSON', async () => {
    const run = await rbac([
      'can',
      'system:serviceaccount:web:frontend',
      'create',
      'deployments',
      '-n',
      'ops',
      'cluster.yaml',
      '-f',
      'json',
    ]);
    const answer = JSON.parse(run.stdout) as {
      allowed: boolean;
      grants: { binding: { name: string }; rules: { rule: string }[] }[];
    };
    assert.equal(answer.allowed, true);
    assert.deepEqual(
      answer.grants.map((grant) => grant.binding.name),
      ['frontend-deploys-ops'],
    );
    assert.equal(answer.grants[0]?.rules[0]?.rule, 'get,list,create,update deployments [apps]');
  });
});

describe('palisade rbac paths', () => {
  it('explains the chain from the workload to cluster-admin, exit 1', async () => {
    const run = await rbac(['paths', 'cluster.yaml']);
    assert.equal(run.code, 1);
    assert.equal(
      run.stdout.trim(),
      [
        'Path 1: ServiceAccount web/frontend (used by Deployment web/frontend) reaches cluster-admin in 2 steps',
        '  1. ServiceAccount web/frontend can create deployments in namespace ops and run their pods as any ServiceAccount there, reading its token -> becomes ServiceAccount ops/installer',
        '     granted by RoleBinding ops/frontend-deploys-ops -> Role ops/deployer (rules[0])',
        '  2. ServiceAccount ops/installer holds every verb on every resource cluster-wide -> cluster-admin',
        '     granted by ClusterRoleBinding installer-admin -> ClusterRole cluster-admin (rules[0])',
      ].join('\n'),
    );
  });

  it('--from a group: edit in web lets it run pods as web/frontend, which leads on', async () => {
    const run = await rbac(['paths', '--from', 'group:developers', 'cluster.yaml', '--format', 'json']);
    assert.equal(run.code, 1);
    const { paths } = JSON.parse(run.stdout) as {
      paths: { steps: { subject: { name: string }; becomes?: { name: string } }[] }[];
    };
    assert.deepEqual(
      paths[0]?.steps.map((step) => `${step.subject.name}>${step.becomes?.name ?? 'cluster-admin'}`),
      ['developers>frontend', 'frontend>installer', 'installer>cluster-admin'],
    );
  });

  it('--from a subject without a path: exit 0', async () => {
    const run = await rbac(['paths', '--from', 'user:nobody', 'cluster.yaml']);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, 'No escalation path to cluster-admin found from the given subjects.\n');
  });

  it('--from a subject no binding names is said on stderr, with how other kinds are written', async () => {
    const run = await rbac([
      'paths',
      '--from',
      'grp:developers',
      '--from',
      'group:developers',
      'cluster.yaml',
    ]);
    assert.equal(run.code, 1, 'the group still has its paths');
    assert.equal(
      run.stderr,
      'palisade rbac: --from grp:developers: no binding in the inputs names User grp:developers (read as a user name; other subjects are written group:NAME or sa:NAMESPACE/NAME)\n',
    );
  });
});

describe('palisade rbac: usage and bad input', () => {
  it('help', async () => {
    const run = await rbac(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /palisade rbac who-can VERB/);
  });

  it('usage errors say what is wrong', async () => {
    assert.match(await usageError(['who-can', 'get', 'pods']), /no input/);
    assert.match(await usageError(['who-can', 'get']), /needs VERB RESOURCE/);
    assert.match(await usageError(['can', 'sa:nonamespace', 'get', 'pods', 'x.yaml']), /sa:NAMESPACE\/NAME/);
    assert.match(
      await usageError(['who-can', 'get', 'pods/a/b', 'x.yaml']),
      /RESOURCE\[\.GROUP\]\[\/SUBRESOURCE\]/,
    );
    // Nothing can be granted on an empty resource or group: `.`, `./x`, `pods..apps`, `pods/`, `apps.`.
    for (const resource of ['.', './x', 'pods..apps', 'pods/', 'pods.apps.', 'pods/a b'])
      assert.match(
        await usageError(['who-can', 'get', resource, 'x.yaml']),
        /is not RESOURCE\[\.GROUP\]\[\/SUBRESOURCE\]/,
        resource,
      );
    assert.match(await usageError(['paths', '-n', 'x', 'x.yaml']), /does not take --namespace/);
    assert.match(await usageError(['who-can', 'get', 'pods', 'x.yaml', '--format', 'xml']), /unknown format/);
    assert.match(await usageError(['frobnicate']), /unknown rbac command/);
  });

  it('a subject of no known kind is said to be granted nothing, where the API server would refuse it', async () => {
    const binding = viewBinding('{kind: user, name: alice}');
    const run = await rbac(['can', 'user:alice', 'get', 'pods', '-n', 'ns', '-'], binding);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^no: User alice/i);
    assert.match(
      run.stderr,
      /warning: .*:6:4: RoleBinding\/ns\/b: subjects\[0\]\.kind: a subject kind must be User, Group or ServiceAccount \(this subject is granted nothing\); the API server would refuse this object/,
    );
  });

  it('a subject with an apiGroup the API server refuses is said to be granted nothing', async () => {
    const binding = viewBinding('{kind: ServiceAccount, apiGroup: rbac.authorization.k8s.io, name: bot}');
    const run = await rbac(['can', 'sa:ns/bot', 'get', 'pods', '-n', 'ns', '-'], binding);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /warning: .*:6:\d+: RoleBinding\/ns\/b: subjects\[0\]\.apiGroup: a ServiceAccount subject has no apiGroup \(this subject is granted nothing\)/,
    );
  });

  it('bind of a ClusterRole asked without -n names the RoleBindings that allow it in their namespace', async () => {
    const objects = [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: Role',
      'metadata: {name: binder, namespace: ns1}',
      'rules: [{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], resourceNames: [view], verbs: [bind]}]',
      '---',
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: RoleBinding',
      'metadata: {name: b, namespace: ns1}',
      'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: binder}',
      'subjects: [{kind: User, name: u}]',
    ].join('\n');
    const run = await rbac(['can', 'user:u', 'bind', 'clusterroles', '--name', 'view', '-'], objects);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stdout,
      /in every namespace \(asked without -n\); only in namespace ns1:\n {2}RoleBinding ns1\/b/,
    );
    const who = await rbac(['who-can', 'bind', 'clusterroles', '--name', 'view', '-'], objects);
    assert.match(who.stdout, /User u, in namespace ns1/);
  });

  it('create with --name: the name is said to be left out, and resourceNames do not allow it', async () => {
    const objects = [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: Role',
      'metadata: {name: named, namespace: ns}',
      'rules: [{apiGroups: [""], resources: [configmaps], resourceNames: [a], verbs: [create]}]',
      '---',
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: RoleBinding',
      'metadata: {name: b, namespace: ns}',
      'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: named}',
      'subjects: [{kind: User, name: u}]',
    ].join('\n');
    const run = await rbac(
      ['can', 'user:u', 'create', 'configmaps', '-n', 'ns', '--name', 'a', '-'],
      objects,
    );
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stdout,
      /^no: User u .* cannot create configmaps \(--name a left out: a create request carries no name\) in namespace ns/,
    );
    const who = await rbac(['who-can', 'create', 'configmaps', '-n', 'ns', '--name', 'a', '-'], objects);
    assert.match(who.stderr, /note: --name a left out: a create request carries no name/);
    assert.match(who.stdout, /no binding in the inputs grants it/);
  });

  it('a resource that is not built in, written without a group, is said to be asked in the core group', async () => {
    const run = await rbac(['who-can', 'get', 'widgets', 'cluster.yaml']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /note: "widgets" is not a built-in resource, so it was asked in the core API group/,
    );
    for (const args of [
      ['who-can', 'get', 'widgets.example.com', 'cluster.yaml'],
      ['who-can', 'get', 'widgets', '--api-group', 'example.com', 'cluster.yaml'],
      ['who-can', 'list', 'endpointslices', 'cluster.yaml'],
      ['who-can', 'get', '/healthz', 'cluster.yaml'],
    ])
      assert.doesNotMatch((await rbac(args)).stderr, /note:/, args.join(' '));
  });

  it('an unreadable input is reported and the exit code says the answer may be incomplete', async () => {
    const run = await rbac(['who-can', 'get', 'pods', 'missing.yaml', 'cluster.yaml']);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /missing\.yaml/);
    assert.match(run.stdout, /Who can get pods/);
  });

  it('names cannot drive the terminal', async () => {
    const run = await rbac(
      ['who-can', 'get', 'pods', '-'],
      [
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRoleBinding',
        'metadata: {name: "evil\\u001b[31m"}',
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}',
        'subjects: [{kind: User, name: "mallory\\u001b[2J", apiGroup: rbac.authorization.k8s.io}]',
      ].join('\n'),
    );
    assert.ok(!run.stdout.includes('\u001b'), 'no escape character reaches the terminal');
    assert.match(run.stdout, /User mallory\\x1b\[2J/);
  });
});

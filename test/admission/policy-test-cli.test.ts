// biome-ignore-all lint/suspicious/noControlCharactersInRegex: these regexes check that no control character is printed
// `palisade test` on hostile or broken test trees: symbolic links, deep trees, deep YAML, broken policies and
// names that would drive the terminal. Each gets a clear message and exit code 2, never a silent skip.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runPalisade } from '../cli/cli-harness.ts';

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata: {name: x, namespace: default}\nspec: {containers: [{name: c, image: nginx}]}\n';

/** A test of privileged-container on a plain pod, expecting `result`; `extra` lines go before `results`. */
function testFile(name: string, result: string, extra = 'rules: [privileged-container]\n'): string {
  return `apiVersion: palisade.dev/v1alpha1\nkind: PolicyTest\nname: ${name}\n${extra}resources: [r.yaml]\nresults:\n  - rule: privileged-container\n    resource: Pod/default/x\n    result: ${result}\n`;
}

async function writeTest(dir: string, text: string, file = 'palisade-test.yaml'): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'r.yaml'), POD);
  await writeFile(join(dir, file), text);
}

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'palisade-test-cli-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('palisade test: discovery', () => {
  it('follows a symbolic link inside the directory once, and ends link cycles', async () => {
    await withDir(async (dir) => {
      const root = join(dir, 'suite');
      await writeTest(join(root, 'shared'), testFile('linked', 'pass'), 'template.yaml');
      await writeTest(join(root, 'plain'), testFile('plain', 'pass'));
      await mkdir(join(root, 'uses'));
      await symlink('../shared/template.yaml', join(root, 'uses', 'palisade-test.yaml'));
      await symlink('../plain/palisade-test.yaml', join(root, 'shared', 'palisade-test.yaml'));
      await symlink(root, join(root, 'plain', 'loop'));
      const run = await runPalisade(['test', root]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.equal(run.stdout.match(/^ok {6}linked /gm)?.length, 1, run.stdout);
      assert.equal(run.stdout.match(/^ok {6}plain /gm)?.length, 1, run.stdout);
      assert.match(run.stdout, /2 of 2 checks passed/);
    });
  });

  it('refuses a symbolic link to a test outside the directory, and reports a tree too deep to search', async () => {
    await withDir(async (dir) => {
      const root = join(dir, 'suite');
      await writeTest(join(dir, 'elsewhere'), testFile('outside', 'pass'));
      await writeTest(join(root, 'ok'), testFile('inside', 'pass'));
      await mkdir(join(root, 'link'));
      await symlink(join(dir, 'elsewhere', 'palisade-test.yaml'), join(root, 'link', 'palisade-test.yaml'));
      const deep = join(root, ...Array.from({ length: 34 }, () => 'd'));
      await writeTest(deep, testFile('deep', 'pass'));
      const run = await runPalisade(['test', root]);
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.equal(run.stdout, '');
      assert.match(
        run.stderr,
        /link\/palisade-test\.yaml: refused: a symbolic link to .*elsewhere\/palisade-test\.yaml, outside /,
      );
      assert.match(run.stderr, /(\/d){33}: more than 32 directory levels below .*suite; not searched/);
    });
  });
});

describe('palisade test: broken input', () => {
  it('`rules:` enforces the rules without mutating: a plain pod fails rules whose fixes exist, as a validating webhook denies it', async () => {
    await withDir(async (dir) => {
      const rules = ['run-as-non-root', 'privilege-escalation', 'seccomp-profile-required'];
      await writeTest(
        dir,
        `apiVersion: palisade.dev/v1alpha1\nkind: PolicyTest\nname: enforced\nrules: [${rules.join(', ')}]\nresources: [r.yaml]\nresults:\n${rules
          .map((rule) => `  - rule: ${rule}\n    resource: Pod/default/x\n    result: fail\n`)
          .join('')}`,
      );
      const run = await runPalisade(['test', dir]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /3 of 3 checks passed/);
    });
  });

  it('escapes control characters of test names and details in the table', async () => {
    await withDir(async (dir) => {
      await writeTest(dir, testFile('"evil\\e[31mRED\\e]0;title\\a\\r"', 'fail'));
      const run = await runPalisade(['test', dir]);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.doesNotMatch(run.stdout, /[\u0000-\u0008\u000b-\u001f\u007f]/);
      assert.match(run.stdout, /MISMATCH {2}evil\\x1b\[31mRED\\x1b\]0;title\\x07\\r {2}privileged-container/);
    });
  });

  it('escapes control characters of test-file mistakes on stderr', async () => {
    await withDir(async (dir) => {
      await writeTest(dir, testFile('x', 'pass', 'rules: [privileged-container]\n"\\e[2Jkey": 1\n'));
      const run = await runPalisade(['test', dir]);
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.doesNotMatch(run.stderr, /\u001b/);
      assert.match(run.stderr, /unknown field "\\x1b\[2Jkey"/);
    });
  });

  it('exits 2 on YAML nested too deeply, naming the file and line, with no stack overflow', async () => {
    await withDir(async (dir) => {
      const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      await writeTest(
        dir,
        testFile('x', 'pass', `rules: [privileged-container]\nuserInfo: {groups: ${deep}}\n`),
      );
      const run = await runPalisade(['test', dir]);
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.match(run.stderr, /palisade-test\.yaml:5:\d+: nested deeper than 64 levels; not read/);
      assert.doesNotMatch(run.stderr, /call stack|internal error/);
    });
  });

  it('exits 2 when the policy a test names is broken, naming the policy file and position', async () => {
    await withDir(async (dir) => {
      await writeTest(dir, testFile('x', 'pass', 'policy: policy.yaml\n'));
      await writeFile(
        join(dir, 'policy.yaml'),
        'apiVersion: palisade.dev/v1alpha1\nkind: AdmissionPolicy\ndefaults:\n  enforce: {level: bogus}\n',
      );
      const run = await runPalisade(['test', dir]);
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /palisade-test\.yaml:4:\d+: the test's policy cannot be used/);
      assert.match(run.stderr, /policy\.yaml:4:\d+: defaults\.enforce\.level must be one of/);
      await writeFile(join(dir, 'policy.yaml'), 'apiVersion: palisade.dev/v1alpha1\nx: [\n');
      const syntax = await runPalisade(['test', dir]);
      assert.equal(syntax.code, 2, syntax.stdout + syntax.stderr);
      assert.match(syntax.stderr, /policy\.yaml:\d+:\d+: /);
    });
  });

  it('exits 2 for a referenced file that does not exist, naming the line', async () => {
    await withDir(async (dir) => {
      await writeTest(dir, testFile('x', 'pass', 'policy: missing.yaml\n'));
      const run = await runPalisade(['test', dir]);
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.match(run.stderr, /palisade-test\.yaml:4:\d+: "missing\.yaml" does not exist/);
    });
  });

  it('exits 2 for an unknown id in rules:, naming its position, with the mistakes of every other test', async () => {
    await withDir(async (dir) => {
      await writeTest(join(dir, 'a'), testFile('a', 'pass', 'rules: [privileged-container, no-such-rule]\n'));
      await writeTest(join(dir, 'b'), testFile('b', 'pass', 'policy: missing.yaml\n'));
      await writeTest(join(dir, 'c'), testFile('c', 'pass', 'rules: [image-registry-allowed]\n'));
      const run = await runPalisade(['test', dir]);
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.match(run.stderr, /a\/palisade-test\.yaml:4:\d+: unknown rule "no-such-rule"/);
      assert.match(run.stderr, /b\/palisade-test\.yaml:4:\d+: "missing\.yaml" does not exist/);
      assert.match(
        run.stderr,
        /c\/palisade-test\.yaml:4:\d+: "image-registry-allowed" comes from a policy's images/,
      );
      assert.doesNotMatch(run.stderr, /--rule/);
    });
  });

  it('exits 2 when two resources share Kind/namespace/name (one would hide the other), naming both', async () => {
    await withDir(async (dir) => {
      await writeTest(dir, testFile('x', 'pass'));
      await writeFile(join(dir, 'r.yaml'), `${POD}---\n${POD}`);
      const run = await runPalisade(['test', dir]);
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.match(run.stderr, /r\.yaml:6: Pod\/default\/x is defined twice \(first at [^)]*r\.yaml:1\)/);
    });
  });

  it('names resources whose names hold colons, as RBAC objects do', async () => {
    await withDir(async (dir) => {
      await mkdir(dir, { recursive: true });
      await writeFile(
        join(dir, 'r.yaml'),
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: "system:ci"}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}]\n',
      );
      await writeFile(
        join(dir, 'palisade-test.yaml'),
        'apiVersion: palisade.dev/v1alpha1\nkind: PolicyTest\nrules: [cluster-admin-binding]\nresources: [r.yaml]\nresults:\n  - rule: cluster-admin-binding\n    resource: "ClusterRoleBinding/system:ci"\n    result: fail\n',
      );
      const run = await runPalisade(['test', dir]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /1 of 1 checks passed/);
    });
  });
});

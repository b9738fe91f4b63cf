// Registry-wide checks of the pod-security rules: metadata, examples, fixes and robustness on odd input.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { applyPatch } from '../../core/json-patch.ts';
import type { KubeObject } from '../../core/kube-object.ts';
import { LATEST_PSS_MINOR } from '../../core/pss-version.ts';
import { pssBaseline, pssRestricted } from '../../frameworks/pod-security-standards.ts';
import { podSecurityRules } from './index.ts';
import { contextFor, pod, runRule } from './pss-test-support.ts';

const VERSIONS = Array.from({ length: LATEST_PSS_MINOR + 1 }, (_, minor) => `v1.${minor}`);

test('rule ids are unique and equal their file names', () => {
  const ids = podSecurityRules.map((rule) => rule.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.ok(existsSync(path.join(import.meta.dirname, `${id}.ts`)), id);
});

test('every rule belongs to a Pod Security Standards level, with known controls', () => {
  for (const rule of podSecurityRules) {
    assert.equal(rule.domain, 'pod-security');
    const baseline = rule.frameworks['pss-baseline'] ?? [];
    const restricted = rule.frameworks['pss-restricted'] ?? [];
    assert.ok(baseline.length + restricted.length > 0, rule.id);
    for (const id of baseline)
      assert.ok(
        pssBaseline.controls.some((control) => control.id === id),
        `${rule.id}: ${id}`,
      );
    for (const id of restricted)
      assert.ok(
        pssRestricted.controls.some((control) => control.id === id),
        `${rule.id}: ${id}`,
      );
  }
});

test('every control of both levels is covered by a rule', () => {
  for (const framework of [pssBaseline, pssRestricted])
    for (const control of framework.controls)
      assert.ok(
        podSecurityRules.some((rule) => rule.frameworks[framework.id]?.includes(control.id)),
        `${framework.id}/${control.id}`,
      );
});

test('restricted lists every baseline control', () => {
  for (const control of pssBaseline.controls)
    assert.ok(
      pssRestricted.controls.some((other) => other.id === control.id),
      control.id,
    );
});

for (const rule of podSecurityRules) {
  test(`${rule.id}: pass examples pass and fail examples fail at the latest version`, () => {
    for (const example of rule.examples.pass)
      assert.deepEqual(runRule(rule, example), [], example.metadata.name);
    for (const example of rule.examples.fail)
      assert.ok(runRule(rule, example).length > 0, example.metadata.name);
  });

  test(`${rule.id}: pass examples meet the whole restricted level`, () => {
    for (const other of podSecurityRules.filter((candidate) => candidate.frameworks['pss-restricted']))
      for (const example of rule.examples.pass) {
        assert.deepEqual(runRule(other, example), [], `${example.metadata.name} vs ${other.id}`);
      }
  });

  const fix = rule.fix;
  if (fix)
    test(`${rule.id}: the fix makes fail examples pass and is idempotent`, () => {
      for (const example of rule.examples.fail) {
        const fixed: KubeObject = applyPatch(example, fix(example, contextFor(example)));
        assert.deepEqual(runRule(rule, fixed), [], example.metadata.name);
        assert.deepEqual(fix(fixed, contextFor(fixed)), [], `${example.metadata.name}: second fix`);
      }
    });
}

const ODD_OBJECTS: readonly KubeObject[] = [
  pod({}),
  { apiVersion: 'v1', kind: 'Pod', metadata: {} },
  { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: 'nonsense' },
  pod({ containers: 'app', initContainers: [null, 3, 'x'], ephemeralContainers: {}, volumes: 'none' }),
  pod({
    securityContext: 'strict',
    containers: [{ name: 'a', securityContext: 'yes', ports: 'all', livenessProbe: 'http' }],
    volumes: [null, 'v', { name: 'x', hostPath: 'string' }],
  }),
  pod({
    os: 'windows',
    hostUsers: 'false',
    securityContext: {
      sysctls: [null, 'kernel.x', { name: 3 }],
      seLinuxOptions: 'spc_t',
      seccompProfile: 'Unconfined',
      appArmorProfile: [],
      windowsOptions: 'host',
      runAsNonRoot: 'true',
      runAsUser: '0',
    },
    containers: [
      {
        securityContext: {
          capabilities: { add: 'SYS_ADMIN', drop: 'ALL' },
          seLinuxOptions: { type: 7, user: null },
          procMount: 12,
          windowsOptions: null,
        },
        ports: [null, { hostPort: null }, { hostPort: '80' }],
        lifecycle: { preStop: { httpGet: 'x' } },
        readinessProbe: { tcpSocket: { host: 5 } },
      },
    ],
  }),
  pod({ containers: [{}] }, { annotations: 'none' }),
  pod(
    { containers: [{ name: 'a' }] },
    { annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 5 } as never },
  ),
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: 'x' } },
  { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: {} } } },
];

test('no rule throws on odd shapes at any version', () => {
  for (const rule of podSecurityRules)
    for (const object of ODD_OBJECTS)
      for (const version of VERSIONS) {
        assert.doesNotThrow(() => runRule(rule, object, version), `${rule.id} @ ${version}`);
        if (rule.fix) {
          const operations = rule.fix(object, contextFor(object, version));
          assert.doesNotThrow(() => applyPatch(object, operations), `${rule.id} fix @ ${version}`);
        }
      }
});

test('rules look at pods inside every workload kind', () => {
  const podSpec = { containers: [{ name: 'app', securityContext: { privileged: true } }] };
  const workloads: KubeObject[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { template: { spec: podSpec } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'd' },
      spec: { template: { spec: podSpec } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 's' },
      spec: { template: { spec: podSpec } },
    },
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: podSpec } } },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: { jobTemplate: { spec: { template: { spec: podSpec } } } },
    },
    { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 't' }, template: { spec: podSpec } },
  ];
  const privileged = podSecurityRules.find((rule) => rule.id === 'privileged-container')!;
  for (const workload of workloads) {
    const found = runRule(privileged, workload);
    assert.equal(found.length, 1, workload.kind);
    assert.equal(found[0]?.container, 'app');
    assert.equal(found[0]?.path.at(-1), 'privileged');
  }
});

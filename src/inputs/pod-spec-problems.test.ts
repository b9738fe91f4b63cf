// Profiles the API server refuses are said at load time: the pod would never run as written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPath, type KubeObject } from '../core/kube-object.ts';
import { podSpecProblems } from './pod-spec-problems.ts';

const deployment = (podContext: unknown, containerContext: unknown): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    template: {
      spec: {
        securityContext: podContext,
        containers: [{ name: 'a', image: 'nginx:1.27', securityContext: containerContext }],
      },
    },
  },
});

const problems = (object: KubeObject) =>
  podSpecProblems(object).map((problem) => `${formatPath(problem.path)}: ${problem.message}`);

describe('podSpecProblems', () => {
  it('accepts every valid profile', () => {
    const valid = deployment(
      { seccompProfile: { type: 'RuntimeDefault' }, appArmorProfile: { type: 'Unconfined' } },
      {
        seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/audit.json' },
        appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-nginx' },
      },
    );
    assert.deepEqual(problems(valid), []);
  });

  it('a Localhost profile needs its name, and only Localhost may have one', () => {
    const object = deployment(
      { seccompProfile: { type: 'Localhost' } },
      { appArmorProfile: { type: 'RuntimeDefault', localhostProfile: 'x' } },
    );
    assert.deepEqual(problems(object), [
      'spec.template.spec.securityContext.seccompProfile: localhostProfile must name the profile when type is Localhost',
      'spec.template.spec.containers[0].securityContext.appArmorProfile.localhostProfile: may only be set when type is Localhost, not RuntimeDefault',
    ]);
  });

  it('unknown or missing types, and seccomp paths that leave the directory, are refused', () => {
    const object = deployment(
      { seccompProfile: {}, appArmorProfile: { type: 'runtime/default' } },
      { seccompProfile: { type: 'Localhost', localhostProfile: '/etc/x.json' } },
    );
    assert.deepEqual(problems(object), [
      'spec.template.spec.securityContext.seccompProfile: type is required (one of RuntimeDefault, Unconfined, Localhost)',
      'spec.template.spec.securityContext.appArmorProfile.type: must be one of RuntimeDefault, Unconfined, Localhost',
      'spec.template.spec.containers[0].securityContext.seccompProfile.localhostProfile: must be a path relative to the kubelet\'s seccomp directory, without ".."',
    ]);
  });

  it('user and group ids outside 0 to 2^31 - 1 are refused', () => {
    const object = deployment(
      { fsGroup: -2000, runAsUser: 0, supplementalGroups: [1000, 2 ** 31] },
      { runAsUser: 2 ** 31 - 1, runAsGroup: -1 },
    );
    assert.deepEqual(problems(object), [
      'spec.template.spec.securityContext.fsGroup: must be between 0 and 2147483647, inclusive',
      'spec.template.spec.securityContext.supplementalGroups[1]: must be between 0 and 2147483647, inclusive',
      'spec.template.spec.containers[0].securityContext.runAsGroup: must be between 0 and 2147483647, inclusive',
    ]);
  });

  it("other kinds and malformed contexts give nothing (wrong types are the type check's)", () => {
    assert.deepEqual(problems({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }), []);
    assert.deepEqual(problems(deployment('x', { seccompProfile: { type: 5 } })), []);
  });
});

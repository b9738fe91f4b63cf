import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyDocument } from './classify-document.ts';
import { removedApiMessage } from './removed-apis.ts';

describe('removedApiMessage', () => {
  it('names the release that stopped serving the version and what to use', () => {
    assert.equal(
      removedApiMessage('Deployment', 'extensions/v1beta1'),
      'extensions/v1beta1 Deployment is not served since Kubernetes 1.16, so applying it fails: use apiVersion apps/v1',
    );
    assert.match(removedApiMessage('CronJob', 'batch/v1beta1') ?? '', /since Kubernetes 1\.25.*batch\/v1$/);
    assert.match(removedApiMessage('HorizontalPodAutoscaler', 'autoscaling/v2beta2') ?? '', /1\.26/);
    assert.match(removedApiMessage('FlowSchema', 'flowcontrol.apiserver.k8s.io/v1beta3') ?? '', /1\.32/);
    assert.match(removedApiMessage('RoleBinding', 'rbac.authorization.k8s.io/v1beta1') ?? '', /1\.22/);
    assert.match(removedApiMessage('PodSecurityPolicy', 'policy/v1beta1') ?? '', /Pod Security Admission/);
  });

  it('is silent for served versions, versions of other kinds, custom resources and prototype names', () => {
    for (const [kind, apiVersion] of [
      ['Deployment', 'apps/v1'],
      ['CronJob', 'batch/v1'],
      ['HorizontalPodAutoscaler', 'autoscaling/v2'],
      ['HorizontalPodAutoscaler', 'autoscaling/v1'],
      // apps/v1beta1 never served DaemonSets: a typo, not a removal (the API server says no such kind).
      ['DaemonSet', 'apps/v1beta1'],
      ['Widget', 'extensions/v1beta1'],
      ['constructor', 'extensions/v1beta1'],
    ] as const)
      assert.equal(removedApiMessage(kind, apiVersion), undefined, `${apiVersion} ${kind}`);
  });

  it('is a warning at the apiVersion, and the object is still scanned', () => {
    const result = classifyDocument({
      apiVersion: 'batch/v1beta1',
      kind: 'CronJob',
      metadata: { name: 'nightly' },
      spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'x:1' }] } } } } },
    });
    assert.equal(result.objects.length, 1);
    assert.deepEqual(
      result.notes.map((note) => [note.code, note.severity, note.path]),
      [['removed-api', 'warning', ['apiVersion']]],
    );
  });
});

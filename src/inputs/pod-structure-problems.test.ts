// Pod specs the API server refuses for their structure are said at load time; patches' omissions are not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPath, type KubeObject } from '../core/kube-object.ts';
import { podStructureProblems } from './pod-structure-problems.ts';

const pod = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web' },
  spec,
});

const problems = (object: KubeObject) =>
  podStructureProblems(object).map((problem) => `${formatPath(problem.path)}: ${problem.message}`);

describe('podStructureProblems', () => {
  it('accepts a valid pod, a StatefulSet mounting its claim templates and a volume with no source', () => {
    assert.deepEqual(
      problems(
        pod({
          hostNetwork: true,
          containers: [
            {
              name: 'web',
              ports: [{ containerPort: 80, hostPort: 80, protocol: 'SCTP' }, { containerPort: 81 }],
              volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
            },
          ],
          initContainers: [{ name: 'init-1' }],
          volumes: [{ name: 'cache' }, { name: 'token', projected: { sources: [] }, unknownField: {} }],
        }),
      ),
      [],
    );
    const statefulSet: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        volumeClaimTemplates: [{ metadata: { name: 'data' } }],
        template: { spec: { containers: [{ name: 'db', volumeMounts: [{ name: 'data' }] }] } },
      },
    };
    assert.deepEqual(problems(statefulSet), []);
  });

  it('a pod needs a container; a template without any is a patch, an empty list is refused', () => {
    assert.deepEqual(problems(pod({})), ['spec.containers: at least one container is required']);
    const deployment = (spec: Record<string, unknown>): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { template: { spec } },
    });
    assert.deepEqual(problems(deployment({ nodeSelector: { disk: 'ssd' } })), []);
    assert.deepEqual(problems(deployment({ containers: [] })), [
      'spec.template.spec.containers: at least one container is required',
    ]);
  });

  it('container names are required, DNS-1123 labels, and unique across container types', () => {
    assert.deepEqual(
      problems(
        pod({
          containers: [{ name: 'app' }, {}, { name: 'App_1' }],
          initContainers: [{ name: 'app' }],
          ephemeralContainers: [{ name: `a${'b'.repeat(63)}` }],
        }),
      ),
      [
        'spec.containers[1].name: a name is required',
        "spec.containers[2].name: is not a DNS-1123 label (lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit)",
        'spec.initContainers[0].name: is the name of an earlier container too',
        `spec.ephemeralContainers[0].name: is not a DNS-1123 label (lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit)`,
      ],
    );
  });

  it('ports need a containerPort, stay within 1..65535, match on the host network and name a known protocol', () => {
    assert.deepEqual(
      problems(
        pod({
          hostNetwork: true,
          containers: [
            {
              name: 'app',
              ports: [
                { hostPort: 80 },
                { containerPort: 70_000 },
                { containerPort: 80, hostPort: -1 },
                { containerPort: 80, hostPort: 8080 },
                { containerPort: 53, protocol: 'udp' },
              ],
            },
          ],
        }),
      ),
      [
        'spec.containers[0].ports[0].containerPort: a containerPort is required',
        'spec.containers[0].ports[1].containerPort: must be between 1 and 65535, inclusive',
        'spec.containers[0].ports[2].hostPort: must be between 1 and 65535, inclusive',
        'spec.containers[0].ports[3].hostPort: must match containerPort when hostNetwork is true',
        'spec.containers[0].ports[4].protocol: must be one of TCP, UDP, SCTP',
      ],
    );
  });

  it('volumes need unique names and at most one source; mounts must name one of them', () => {
    assert.deepEqual(
      problems(
        pod({
          containers: [{ name: 'app', volumeMounts: [{ name: 'data' }, { name: 'gone' }] }],
          volumes: [
            { name: 'data', emptyDir: {}, hostPath: { path: '/' } },
            { name: 'data', secret: { secretName: 's' } },
            { secret: { secretName: 't' } },
          ],
        }),
      ),
      [
        'spec.volumes[0]: may not have more than one volume source (emptyDir, hostPath)',
        'spec.volumes[1].name: is the name of an earlier volume too',
        'spec.volumes[2].name: a name is required',
        'spec.containers[0].volumeMounts[1].name: names no volume of the pod',
      ],
    );
  });

  it('a null entry in a container or volume list is an entry without a name', () => {
    assert.deepEqual(
      problems(pod({ containers: [{ name: 'app' }, null], initContainers: [null], volumes: [null] })),
      [
        'spec.containers[1]: is null, read as an empty container, which has no name',
        'spec.initContainers[0]: is null, read as an empty container, which has no name',
        'spec.volumes[0]: is null, read as an empty volume, which has no name',
      ],
    );
  });

  it('probes and hooks belong to regular containers and sidecars; a probe runs one handler', () => {
    const httpGet = { port: 8080 };
    assert.deepEqual(
      problems(
        pod({
          containers: [
            {
              name: 'app',
              livenessProbe: { httpGet, exec: { command: ['true'] }, tcpSocket: null },
              readinessProbe: { httpGet, successThreshold: 3 },
              startupProbe: { httpGet, successThreshold: 2 },
            },
          ],
          initContainers: [
            { name: 'migrate', image: 'migrate:1', readinessProbe: { httpGet }, lifecycle: {} },
            { name: 'proxy', image: 'proxy:1', restartPolicy: 'Always', readinessProbe: { httpGet } },
            // A patch's container: its base may make it a sidecar.
            { name: 'patched', startupProbe: { httpGet } },
          ],
        }),
      ),
      [
        'spec.containers[0].livenessProbe: may not have more than one handler (exec, httpGet)',
        'spec.containers[0].startupProbe.successThreshold: must be 1',
        'spec.initContainers[0].lifecycle: may not be set on an init container without restartPolicy: Always (only sidecars have it)',
        'spec.initContainers[0].readinessProbe: may not be set on an init container without restartPolicy: Always (only sidecars have it)',
      ],
    );
    // A probe without a handler may be a patch's, which sets timings and leaves the handler to its base.
    assert.deepEqual(
      problems(
        pod({ containers: [{ name: 'app', livenessProbe: { periodSeconds: 5, successThreshold: 0 } }] }),
      ),
      [],
    );
  });

  it("other kinds and values of the wrong type give nothing (they are the type check's)", () => {
    assert.deepEqual(problems({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }), []);
    assert.deepEqual(
      problems(pod({ containers: [{ name: 5, ports: [{ containerPort: 'http' }], volumeMounts: 'x' }] })),
      [],
    );
  });
});

import { podTemplateOf, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { deployment } from '../example-objects.ts';

export default defineRule({
  id: 'runtime-class-missing',
  title: 'Workload asks for a RuntimeClass that is not available',
  severity: 'low',
  domain: 'cluster',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'cluster',
  // What it looks for (a RuntimeClass, a Role) is another object, which an admission request does not carry.
  admission: 'needs-cluster',
  frameworks: { 'nsa-cisa': ['container-environment-hardening'] },
  description:
    'Untrusted workloads are isolated with a sandboxed runtime (gVisor, Kata Containers) selected through `runtimeClassName`. ' +
    'When the named RuntimeClass does not exist, the RuntimeClass admission plugin rejects the pods: the workload either never runs, or is redeployed without the field and runs unsandboxed. ' +
    'The RuntimeClass is looked for among the scanned objects: a cluster scan lists every RuntimeClass; a file scan needs the RuntimeClass manifest in the same scan. ' +
    'Data: pod-bearing objects (`runtimeClassName`) and RuntimeClass objects.',
  remediation:
    'Create the RuntimeClass (with `scheduling.nodeSelector` for the nodes that have the handler) before deploying workloads that use it, or fix the name.',
  references: ['https://kubernetes.io/docs/concepts/containers/runtime-class/'],
  examples: {
    pass: [deployment('web', { containers: [{ name: 'web', image: 'example.com/web:1.0' }] })],
    fail: [
      deployment('untrusted', {
        runtimeClassName: 'gvisor',
        containers: [{ name: 'job', image: 'example.com/untrusted:1.0' }],
      }),
    ],
  },
  check: (obj, context) => {
    const pod = podTemplateOf(obj);
    const name = pod?.spec.runtimeClassName;
    if (!pod || typeof name !== 'string' || name === '') return [];
    if (context.inventory.get('RuntimeClass', undefined, name)) return [];
    const known = context.inventory.ofKind('RuntimeClass').map((entry) => entry.ref.name);
    return [
      {
        message: `runtimeClassName "${name}" names no RuntimeClass in the scanned objects${known.length > 0 ? ` (available: ${known.join(', ')})` : ''}: its pods are rejected at admission`,
        path: [...pod.specPath, 'runtimeClassName'],
      },
    ];
  },
});

// Exposure facts as text: one block per fact, the path from outside to the workload, then what policy makes of it.
import { formatRef } from '../core/kube-object.ts';
import type { ExposureFact } from './exposure-model.ts';

const LABEL: Record<ExposureFact['kind'], string> = {
  'load-balancer': 'LoadBalancer',
  'external-ip': 'external IP',
  'node-port': 'NodePort',
  ingress: 'Ingress',
  'gateway-route': 'Gateway route',
  'host-network': 'host network',
  'host-port': 'hostPort',
};

export function renderExposureText(facts: readonly ExposureFact[]): string {
  if (facts.length === 0) return 'No workload is exposed outside the cluster by the scanned objects.\n';
  const lines: string[] = [];
  for (const fact of facts) {
    lines.push(`${fact.workload}: ${LABEL[fact.kind]}`);
    lines.push('  outside');
    for (const step of fact.path) lines.push(`  → ${formatRef(step.ref)}: ${step.detail}`);
    if (fact.policy) lines.push(`  NetworkPolicy: ${fact.policy.verdict}: ${fact.policy.detail}`);
    for (const note of fact.notes) lines.push(`  note: ${note}`);
    lines.push('');
  }
  const workloads = new Set(facts.map((fact) => fact.workload)).size;
  lines.push(
    `${facts.length} exposure path${facts.length === 1 ? '' : 's'} to ${workloads} workload${workloads === 1 ? '' : 's'}.`,
  );
  return `${lines.join('\n')}\n`;
}

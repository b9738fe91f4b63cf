// The explicit registry of control catalogues.
import type { FrameworkId } from '../core/rule.ts';
import { cisKubernetes } from './cis-k8s.ts';
import type { Framework } from './framework.ts';
import { mitreAttack } from './mitre-attack.ts';
import { nsaCisa } from './nsa-cisa.ts';
import { pssBaseline, pssRestricted } from './pod-security-standards.ts';

export const frameworks: readonly Framework[] = [
  pssBaseline,
  pssRestricted,
  cisKubernetes,
  nsaCisa,
  mitreAttack,
];

export function findFramework(id: FrameworkId): Framework | undefined {
  return frameworks.find((framework) => framework.id === id);
}

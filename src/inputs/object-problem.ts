// What a per-kind validation finds wrong in one object that the API server would refuse, and where.
import type { FieldPath } from '../core/kube-object.ts';

export interface ObjectProblem {
  path: FieldPath;
  message: string;
}

// A control catalogue (Pod Security Standards, CIS Kubernetes Benchmark, NSA/CISA, MITRE ATT&CK).
import type { FrameworkId } from '../core/rule.ts';

export interface FrameworkControl {
  id: string;
  title: string;
}

export interface Framework {
  id: FrameworkId;
  title: string;
  /** Edition the control ids refer to. */
  version: string;
  url: string;
  controls: readonly FrameworkControl[];
}

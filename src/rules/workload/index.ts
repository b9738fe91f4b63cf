// Explicit registry of the workload rules: one import and one list entry per rule.
import type { Rule } from '../../core/rule.ts';
import containerPrivilegedPort from './container-privileged-port.ts';
import containerRuntimeSocketMount from './container-runtime-socket-mount.ts';
import defaultNamespaceUsed from './default-namespace-used.ts';
import missingCpuLimit from './missing-cpu-limit.ts';
import missingFsGroup from './missing-fs-group.ts';
import missingLivenessProbe from './missing-liveness-probe.ts';
import missingMemoryLimit from './missing-memory-limit.ts';
import missingReadinessProbe from './missing-readiness-probe.ts';
import missingResourceRequests from './missing-resource-requests.ts';
import missingRunAsGroup from './missing-run-as-group.ts';
import rootGroup from './root-group.ts';
import serviceAccountTokenAutomounted from './service-account-token-automounted.ts';
import shareProcessNamespace from './share-process-namespace.ts';
import writableHostPathMount from './writable-host-path-mount.ts';
import writableRootFilesystem from './writable-root-filesystem.ts';

export const workloadRules: readonly Rule[] = [
  containerPrivilegedPort,
  containerRuntimeSocketMount,
  defaultNamespaceUsed,
  missingCpuLimit,
  missingFsGroup,
  missingLivenessProbe,
  missingMemoryLimit,
  missingReadinessProbe,
  missingResourceRequests,
  missingRunAsGroup,
  rootGroup,
  serviceAccountTokenAutomounted,
  shareProcessNamespace,
  writableHostPathMount,
  writableRootFilesystem,
];

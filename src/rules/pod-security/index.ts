// Explicit registry of the pod-security rules: one import and one list entry per rule.
import type { Rule } from '../../core/rule.ts';
import apparmorProfile from './apparmor-profile.ts';
import baselineCapabilities from './baseline-capabilities.ts';
import capabilitiesDropAll from './capabilities-drop-all.ts';
import hostNamespaces from './host-namespaces.ts';
import hostPathVolumes from './host-path-volumes.ts';
import hostPorts from './host-ports.ts';
import hostProbesLifecycle from './host-probes-lifecycle.ts';
import privilegeEscalation from './privilege-escalation.ts';
import privilegedContainer from './privileged-container.ts';
import procMount from './proc-mount.ts';
import procMountRestricted from './proc-mount-restricted.ts';
import runAsNonRoot from './run-as-non-root.ts';
import runAsRootUser from './run-as-root-user.ts';
import seccompProfileRequired from './seccomp-profile-required.ts';
import seccompUnconfined from './seccomp-unconfined.ts';
import selinuxOptions from './selinux-options.ts';
import unsafeSysctls from './unsafe-sysctls.ts';
import volumeTypes from './volume-types.ts';
import windowsHostProcess from './windows-host-process.ts';

export const podSecurityRules: readonly Rule[] = [
  // Baseline controls (the restricted level includes them, except where noted in the rule).
  privilegedContainer,
  hostNamespaces,
  hostPorts,
  hostPathVolumes,
  baselineCapabilities,
  procMount,
  selinuxOptions,
  seccompUnconfined,
  apparmorProfile,
  unsafeSysctls,
  windowsHostProcess,
  hostProbesLifecycle,
  // Restricted controls.
  volumeTypes,
  privilegeEscalation,
  capabilitiesDropAll,
  runAsNonRoot,
  runAsRootUser,
  seccompProfileRequired,
  procMountRestricted,
];

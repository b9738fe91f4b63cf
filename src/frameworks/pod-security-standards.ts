// The Pod Security Standards baseline and restricted levels, as control catalogues.
import { LATEST_PSS_VERSION } from '../core/pss-version.ts';
import type { Framework, FrameworkControl } from './framework.ts';

const URL = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

const BASELINE_CONTROLS: readonly FrameworkControl[] = [
  { id: 'host-process', title: 'HostProcess' },
  { id: 'host-namespaces', title: 'Host Namespaces' },
  { id: 'privileged', title: 'Privileged Containers' },
  { id: 'capabilities', title: 'Capabilities' },
  { id: 'host-path-volumes', title: 'HostPath Volumes' },
  { id: 'host-ports', title: 'Host Ports' },
  { id: 'host-probes-lifecycle-hooks', title: 'Host Probes / Lifecycle Hooks (v1.34+)' },
  { id: 'apparmor', title: 'AppArmor' },
  { id: 'selinux', title: 'SELinux' },
  { id: 'proc-mount', title: '/proc Mount Type' },
  { id: 'seccomp', title: 'Seccomp' },
  { id: 'sysctls', title: 'Sysctls' },
];

/** Controls the restricted level tightens in place: same id, stricter requirement. */
const TIGHTENED: Readonly<Record<string, string>> = {
  capabilities: 'Capabilities (v1.22+: drop ALL, add only NET_BIND_SERVICE)',
  seccomp: 'Seccomp (v1.19+: RuntimeDefault or Localhost required)',
  'host-path-volumes': 'HostPath Volumes (through the volume type allow-list)',
};

const RESTRICTED_ONLY_CONTROLS: readonly FrameworkControl[] = [
  { id: 'volume-types', title: 'Volume Types' },
  { id: 'privilege-escalation', title: 'Privilege Escalation (v1.8+)' },
  { id: 'running-as-non-root', title: 'Running as Non-root' },
  { id: 'running-as-non-root-user', title: 'Running as Non-root user (v1.23+)' },
];

export const pssBaseline: Framework = {
  id: 'pss-baseline',
  title: 'Pod Security Standards: Baseline',
  version: LATEST_PSS_VERSION,
  url: `${URL}#baseline`,
  controls: BASELINE_CONTROLS,
};

/** Restricted includes every baseline control (some tightened) and adds its own. */
export const pssRestricted: Framework = {
  id: 'pss-restricted',
  title: 'Pod Security Standards: Restricted',
  version: LATEST_PSS_VERSION,
  url: `${URL}#restricted`,
  controls: [
    ...BASELINE_CONTROLS.map((control) => ({
      id: control.id,
      title: TIGHTENED[control.id] ?? control.title,
    })),
    ...RESTRICTED_ONLY_CONTROLS,
  ],
};

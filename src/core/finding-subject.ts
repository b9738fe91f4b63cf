// What a finding is about, in words and as a key: the Kubernetes object, the package, or the image/directory.
import type { Finding } from './finding.ts';
import { formatRef } from './kube-object.ts';

/** `Deployment shop/web`, `openssl 3.0.2-0ubuntu1 (deb)`, or the artifact target. For display and grouping. */
export function describeSubject(finding: Finding): string {
  switch (finding.source) {
    case 'posture': {
      const { kind, namespace, name } = finding.resource;
      return `${kind} ${namespace ? `${namespace}/${name}` : name}`;
    }
    case 'vulnerability':
      return `${finding.package.name} ${finding.package.version} (${finding.package.ecosystem})`;
    case 'artifact':
      return finding.location.target;
  }
}

/** Identity of the subject within its location, for stable ordering and deduplication keys. */
export function subjectKey(finding: Finding): string {
  switch (finding.source) {
    case 'posture':
      return `${formatRef(finding.resource)}\u0000${finding.container ?? ''}`;
    case 'vulnerability':
      return `${finding.package.ecosystem}\u0000${finding.package.name}\u0000${finding.package.version}`;
    case 'artifact':
      return '';
  }
}

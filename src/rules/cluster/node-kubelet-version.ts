import { parseImageReference } from '../../core/image-reference.ts';
import type { Inventory } from '../../core/inventory.ts';
import { getPath, type KubeObject, nameOf } from '../../core/kube-object.ts';
import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { object } from '../example-objects.ts';
import { componentProcesses, imageName } from './control-plane-flags.ts';
import {
  allowedKubeletLag,
  endOfLife,
  type KubeVersion,
  parseKubeVersion,
  RELEASE_TABLE_DATE,
} from './kubernetes-releases.ts';

const VERSION_PATH = ['status', 'nodeInfo', 'kubeletVersion'];

function node(name: string, kubeletVersion: string): KubeObject {
  return object('v1', 'Node', name, { status: { nodeInfo: { kubeletVersion } } });
}

/**
 * The API server's version: the tag of a kube-apiserver static pod's image, else what the cluster's `/version` said
 * (managed clusters show no control-plane pods), else the newest kubelet scanned.
 */
const REFERENCE = Symbol('kubernetes version reference');
interface Reference {
  version: KubeVersion;
  source: string;
  fromApiServer: boolean;
}

function referenceVersion(inventory: Inventory): Reference | undefined {
  return inventory.derive(REFERENCE, (all) => {
    // The oldest API server: in an HA control plane mid-upgrade, kubelets may not be newer than any of them.
    let oldest: Reference | undefined;
    for (const entry of all.ofKind('Pod')) {
      const [process] = componentProcesses(entry.object, 'kube-apiserver');
      if (!process) continue;
      const containers = getPath(entry.object, ['spec', 'containers']);
      const images = Array.isArray(containers) ? containers : [];
      for (const container of images) {
        const image = getPath(container, ['image']);
        if (typeof image !== 'string' || imageName(image) !== 'kube-apiserver') continue;
        const version = parseKubeVersion(parseImageReference(image)?.tag);
        if (version && (!oldest || version.minor < oldest.version.minor))
          oldest = { version, source: `kube-apiserver image ${image}`, fromApiServer: true };
      }
    }
    if (oldest) return oldest;
    const served = parseKubeVersion(all.serverVersion);
    if (served) return { version: served, source: `the API server (${served.text})`, fromApiServer: true };
    let newest: Reference | undefined;
    for (const entry of all.ofKind('Node')) {
      const version = parseKubeVersion(getPath(entry.object, VERSION_PATH));
      if (version && (!newest || version.minor > newest.version.minor))
        newest = { version, source: `newest kubelet (node ${entry.ref.name})`, fromApiServer: false };
    }
    return newest;
  });
}

export default defineRule({
  id: 'node-kubelet-version',
  title: 'Node runs an end-of-life or out-of-skew kubelet',
  severity: 'medium',
  domain: 'cluster',
  kinds: ['Node'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'nsa-cisa': ['upgrades'] },
  description:
    'A kubelet of a release line that reached end of life gets no security fixes. The version skew policy allows kubelets up to three minor versions older than the API server (two before 1.28) and never newer. ' +
    `End-of-life dates come from a table dated ${RELEASE_TABLE_DATE}. The API server version is read from the kube-apiserver static pod's image tag when it is scanned, else from the cluster's \`/version\` in a live or snapshot scan of one cluster (managed clusters show no control-plane pods), else the newest kubelet stands in for it. ` +
    'Data: Node objects (`status.nodeInfo.kubeletVersion`, as the kubelet reports it), kube-apiserver static pods and `/version`.',
  remediation:
    'Upgrade the node (drain, upgrade kubelet and kube-proxy, uncordon) to a supported release within the skew policy.',
  references: ['https://kubernetes.io/releases/', 'https://kubernetes.io/releases/version-skew-policy/'],
  examples: { pass: [node('node-1', 'v1.36.2')], fail: [node('node-1', 'v1.26.4')] },
  check: (obj, context) => {
    const version = parseKubeVersion(getPath(obj, VERSION_PATH));
    if (!version) return [];
    const name = nameOf(obj);
    const violations: Violation[] = [];
    const ended = endOfLife(version);
    if (ended !== undefined)
      violations.push({
        message: `node ${name}: kubelet ${version.text} is end of life (1.${version.minor} maintenance ended ${ended})`,
        path: VERSION_PATH,
      });
    const reference = referenceVersion(context.inventory);
    if (reference && reference.version.major === version.major) {
      const lag = reference.version.minor - version.minor;
      if (lag < 0 && reference.fromApiServer)
        violations.push({
          message: `node ${name}: kubelet ${version.text} is newer than the API server (${reference.source}): unsupported`,
          path: VERSION_PATH,
        });
      else if (lag > allowedKubeletLag(reference.version))
        violations.push({
          message: `node ${name}: kubelet ${version.text} is ${lag} minor versions behind ${reference.source}, beyond the skew policy`,
          path: VERSION_PATH,
        });
    }
    return violations;
  },
});

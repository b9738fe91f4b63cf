// End-of-life dates of Kubernetes minor releases (kubernetes.io/releases), and the version skew policy.
// A dated table, updated with each release: rules stay pure and reproducible instead of reading the clock.

export const RELEASE_TABLE_DATE = '2026-11-22';

/** Minor -> end of maintenance. Releases before 1.25 ended earlier still. */
const END_OF_LIFE: Record<number, string> = {
  25: '2023-10-28',
  26: '2024-02-28',
  27: '2024-06-28',
  28: '2024-10-28',
  29: '2025-02-28',
  30: '2025-06-28',
  31: '2025-10-28',
  32: '2026-02-28',
  33: '2026-06-28',
  34: '2026-10-27',
};

export interface KubeVersion {
  major: number;
  minor: number;
  text: string;
}

/** `v1.26.4`, `v1.29.3-eks-1234`, `1.30` -> major and minor; undefined when not a version. */
export function parseKubeVersion(text: unknown): KubeVersion | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), text: text.trim() };
}

/** When the release line ended, if it has ended by the table's date. */
export function endOfLife(version: KubeVersion): string | undefined {
  if (version.major !== 1) return undefined;
  if (version.minor < 25) return 'before 2023-10-28';
  const date = END_OF_LIFE[version.minor];
  return date !== undefined && date <= RELEASE_TABLE_DATE ? date : undefined;
}

/** How many minors a kubelet may trail the API server: 3 from 1.28, 2 before (the version skew policy). */
export function allowedKubeletLag(apiServer: KubeVersion): number {
  return apiServer.minor >= 28 ? 3 : 2;
}

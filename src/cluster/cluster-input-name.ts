// The name a cluster's load issues are filed under, in place of a file: `cluster:<context>`, at line and column 0.
import type { ClusterSnapshot } from './snapshot.ts';

const CLUSTER_INPUT_PREFIX = 'cluster:';

/** The name issues are filed under: the cluster, not a file, so that live and snapshot scans read the same. */
export function clusterInputName(snapshot: ClusterSnapshot): string {
  return `${CLUSTER_INPUT_PREFIX}${snapshot.context}`;
}

/** The context of a load issue filed under clusterInputName, else undefined (outputs place these apart from files). */
export function clusterContextOfIssue(issue: {
  file: string;
  line: number;
  column: number;
}): string | undefined {
  return issue.line === 0 && issue.column === 0 && issue.file.startsWith(CLUSTER_INPUT_PREFIX)
    ? issue.file.slice(CLUSTER_INPUT_PREFIX.length)
    : undefined;
}

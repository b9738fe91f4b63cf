// `npm run conformance`: prints the agreement with the Kubernetes project's Pod Security Admission fixtures.
// Fixtures are read from $PALISADE_SHARED/corpus/psa-fixtures (default ../shared beside the repository).
import { existsSync } from 'node:fs';
import { sharedPath } from '../shared-corpus.ts';
import { runPsaConformance } from './psa-conformance-run.ts';

const root = sharedPath('corpus', 'psa-fixtures');
if (!existsSync(root)) {
  console.error(
    `the Pod Security Admission fixtures are not at ${root}: put ../shared beside the repository, or set PALISADE_SHARED`,
  );
  process.exit(2);
}
const started = performance.now();
const result = await runPsaConformance(root);
for (const line of result.disagreements) console.log(`DISAGREE ${line}`);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`${result.agree} of ${result.total} agree (${root}, ${seconds} s)`);
process.exitCode = result.total > 0 && result.agree === result.total ? 0 : 1;

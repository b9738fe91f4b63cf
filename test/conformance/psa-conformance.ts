// `npm run conformance`: prints the agreement with the Kubernetes project's Pod Security Admission fixtures.
// Fixtures are read from $PALISADE_SHARED/corpus/psa-fixtures (default ../shared beside the repository).
import { sharedPath } from '../shared-corpus.ts';
import { runPsaConformance } from './psa-conformance-run.ts';

const root = sharedPath('corpus', 'psa-fixtures');
const started = performance.now();
const result = await runPsaConformance(root);
for (const line of result.disagreements) console.log(`DISAGREE ${line}`);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`${result.agree} of ${result.total} agree (${root}, ${seconds} s)`);
process.exitCode = result.total > 0 && result.agree === result.total ? 0 : 1;

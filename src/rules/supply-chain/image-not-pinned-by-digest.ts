import { imageReferenceProblem, parseImageReference } from '../../core/image-reference.ts';
import type { KubeObject } from '../../core/kube-object.ts';
import { containerViolations, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { deployment } from '../example-objects.ts';

const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

const PASS: KubeObject[] = [
  deployment('web', {
    containers: [
      { name: 'app', image: `nginx:1.27@${DIGEST}` },
      { name: 'proxy', image: `localhost:5000/envoy@${DIGEST}` },
    ],
  }),
];

const FAIL: KubeObject[] = [deployment('web', { containers: [{ name: 'app', image: 'nginx:1.27.3' }] })];

export default defineRule({
  id: 'image-not-pinned-by-digest',
  title: 'Image not pinned by digest',
  severity: 'low',
  domain: 'supply-chain',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'nsa-cisa': ['secure-images'], 'mitre-attack': ['T1525'] },
  description:
    'Tags are mutable: a version tag can be re-pushed, by the publisher or by an attacker holding registry credentials, and the cluster pulls the new content without any change in the manifest. ' +
    'A digest (`@sha256:...`) names exactly one image, so what was reviewed and scanned is what runs. ' +
    'A malformed reference (a digest that is not 64 lowercase hex digits, a registry host or repository path outside the reference grammar such as `registry.example.com//app`) is reported too: it pins nothing, and the kubelet refuses it. ' +
    'Capitals in the repository are let through, as sample manifests write placeholders (`REGION-docker.pkg.dev/PROJECT_ID/app`). Templated references and build-tool placeholders (`ko://...`) are skipped.',
  remediation:
    'Append the digest of the image you tested: `image: nginx:1.27.3@sha256:<digest>` (tools such as `crane digest` print it), and let automation (Renovate, Dependabot) update digests.',
  references: [
    'https://kubernetes.io/docs/concepts/containers/images/#image-names',
    'https://slsa.dev/spec/v1.0/',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (object) =>
    containerViolations(object, (container, out) => {
      const image = container.container.image;
      const reference = parseImageReference(image);
      if (reference?.digest !== undefined) return;
      if (!reference) {
        // A malformed digest pins nothing: the kubelet refuses the reference, and a policy requiring digests must
        // not take it for one.
        const problem = imageReferenceProblem(image);
        if (problem !== undefined)
          out.push({
            message: `container "${container.name}" uses image "${image}", which is not a valid image reference (${problem}), so it is not pinned by digest`,
            path: [...container.path, 'image'],
            container: container.name,
          });
        return;
      }
      out.push({
        message: `container "${container.name}" uses image "${image}", which is not pinned by digest`,
        path: [...container.path, 'image'],
        container: container.name,
      });
    }),
});

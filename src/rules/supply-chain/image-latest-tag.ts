import { parseImageReference } from '../../core/image-reference.ts';
import type { KubeObject } from '../../core/kube-object.ts';
import { containerViolations, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { deployment } from '../example-objects.ts';

const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

const PASS: KubeObject[] = [
  deployment('web', {
    containers: [
      { name: 'app', image: 'nginx:1.27.3' },
      { name: 'proxy', image: `envoyproxy/envoy@${DIGEST}` },
      // A registry port is not a tag.
      { name: 'local', image: 'localhost:5000/app:v2' },
      // `latest` with a digest: the digest decides what runs.
      { name: 'pinned', image: `nginx:latest@${DIGEST}` },
    ],
  }),
];

const FAIL: KubeObject[] = [
  deployment('web', { containers: [{ name: 'app', image: 'nginx:latest' }] }),
  deployment('untagged', {
    initContainers: [{ name: 'setup', image: 'localhost:5000/tools' }],
    containers: [{ name: 'app', image: 'nginx:1.27' }],
  }),
];

export default defineRule({
  id: 'image-latest-tag',
  title: 'Image uses the latest tag or no tag',
  severity: 'medium',
  domain: 'supply-chain',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'nsa-cisa': ['secure-images'], 'mitre-attack': ['T1525'] },
  description:
    'An image without a tag means `:latest`, and `:latest` moves: each node may run a different build, rollbacks do not roll back, and whoever can push to the repository changes what runs in the cluster on the next pull. ' +
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder as users write it, not a template
    'References pinned by digest (`@sha256:...`) are fine whatever their tag. A registry port (`localhost:5000/app`) is not mistaken for a tag. Templated references (`${IMAGE}`, `{{ .Values.image }}`) and build-tool placeholders (`ko://github.com/org/repo/cmd/app`) are skipped.',
  remediation:
    'Reference a specific version tag (`nginx:1.27.3`) or, better, a digest (`nginx@sha256:...`), and update it through your release process.',
  references: [
    'https://kubernetes.io/docs/concepts/containers/images/#image-names',
    'https://kubernetes.io/docs/concepts/configuration/overview/#container-images',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (object) =>
    containerViolations(object, (container, out) => {
      const image = container.container.image;
      const reference = parseImageReference(image);
      if (!reference || reference.digest !== undefined) return;
      if (reference.tag !== undefined && reference.tag !== 'latest') return;
      out.push({
        message:
          reference.tag === 'latest'
            ? `container "${container.name}" uses image "${image}" with the mutable tag latest`
            : `container "${container.name}" uses image "${image}" without a tag, which means latest`,
        path: [...container.path, 'image'],
        container: container.name,
      });
    }),
});

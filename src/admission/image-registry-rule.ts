// `images.allowedRegistries` as a rule built from the policy, so that it runs through the same engine, messages and
// modes as every built-in rule. Docker Hub references are normalised (`nginx` is `docker.io/library/nginx`).
import { parseImageReference } from '../core/image-reference.ts';
import { type KubeObject, valueText } from '../core/kube-object.ts';
import { containerViolations, WORKLOAD_KINDS } from '../core/pod-spec.ts';
import { defineRule, type Rule } from '../core/rule.ts';

export const IMAGE_REGISTRY_RULE_ID = 'image-registry-allowed';
const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** `registry/repository` with Docker Hub's implicit parts filled in; undefined when the reference is malformed. */
export function canonicalImageName(image: unknown): string | undefined {
  const reference = parseImageReference(image);
  if (!reference) return undefined;
  const registry = reference.registry?.toLowerCase() ?? DOCKER_HUB;
  if (DOCKER_HUB_ALIASES.has(registry)) {
    const repository = reference.repository.includes('/')
      ? reference.repository
      : `library/${reference.repository}`;
    return `${DOCKER_HUB}/${repository}`;
  }
  return `${registry}/${reference.repository}`;
}

function normaliseAllowed(entry: string): string {
  const trimmed = entry.trim().replace(/\/+$/, '').toLowerCase();
  const slash = trimmed.indexOf('/');
  const host = slash === -1 ? trimmed : trimmed.slice(0, slash);
  return DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB + trimmed.slice(host.length) : trimmed;
}

/** True when `name` is in the registry or under the repository prefix `allowed`, on a path boundary. */
export function isAllowedImage(name: string, allowed: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return allowed.some((entry) => lower === entry || lower.startsWith(`${entry}/`));
}

const exampleRegistry = 'registry.example.com';

function examplePod(image: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'example', namespace: 'default' },
    spec: { containers: [{ name: 'app', image }] },
  };
}

export function imageRegistryRule(allowedRegistries: readonly string[]): Rule {
  const allowed = allowedRegistries.map(normaliseAllowed);
  return defineRule({
    id: IMAGE_REGISTRY_RULE_ID,
    title: 'Image from a registry that is not allowed',
    severity: 'high',
    domain: 'supply-chain',
    kinds: WORKLOAD_KINDS,
    phase: 'deploy',
    layer: 'container',
    frameworks: { 'nsa-cisa': ['secure-images'], 'mitre-attack': ['T1525'] },
    description:
      'The admission policy lists the registries (or repository prefixes) images may come from; anything else ' +
      'could be an unreviewed or typo-squatted image.',
    remediation: `Use an image from an allowed registry: ${allowed.join(', ') || '(none configured)'}.`,
    references: ['https://kubernetes.io/docs/concepts/containers/images/#image-names'],
    examples: {
      pass: [examplePod(`${exampleRegistry}/app:1.0`)],
      fail: [examplePod('docker.io/library/nginx:1.27')],
    },
    check: (object) =>
      containerViolations(object, (container, out) => {
        const image = container.container.image;
        const name = canonicalImageName(image);
        const path = [...container.path, 'image'];
        if (name === undefined)
          out.push({
            message: `container "${container.name}" has an image reference that cannot be parsed (${valueText(image, 256)})`,
            path,
            container: container.name,
          });
        else if (!isAllowedImage(name, allowed))
          out.push({
            message: `container "${container.name}" uses image "${valueText(image, 256)}" from a registry that is not allowed`,
            path,
            container: container.name,
          });
      }),
  });
}

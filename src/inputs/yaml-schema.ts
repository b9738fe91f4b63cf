// The YAML schema manifests are read with, matching how Kubernetes itself reads them.
import { boolYaml11Tag, CORE_SCHEMA, intYaml11Tag, mergeTag } from 'js-yaml';

/**
 * Kubernetes decodes YAML with go-yaml v2 (through sigs.k8s.io/yaml): YAML 1.1 booleans (`yes`, `on`, `NO`),
 * YAML 1.1 integers (`0644` is octal) and merge keys (`<<`). Timestamps stay strings, as they do there.
 */
export const KUBERNETES_YAML_SCHEMA = CORE_SCHEMA.withTags(boolYaml11Tag, intYaml11Tag, mergeTag);

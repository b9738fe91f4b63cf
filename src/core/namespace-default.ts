// Where an object without a namespace lands: kubectl and Helm put it in the context's namespace, `default` unless
// configured otherwise. Workloads and policies without one are analysed together there.
export const DEFAULT_NAMESPACE = 'default';

/** The label the API server sets on every namespace (Kubernetes 1.21+), so that selectors can name one namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

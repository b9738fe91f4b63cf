// Namespaces Kubernetes itself creates, which namespace posture checks leave alone (they hold no user workloads,
// or, for kube-system, components that need host access by design).
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set([
  'kube-system',
  'kube-public',
  'kube-node-lease',
]);

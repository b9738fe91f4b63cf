// `palisade watch setup`: what a kube-apiserver needs to send audit events to `palisade watch` — the webhook
// kubeconfig (--audit-webhook-config-file), a recommended audit policy and the flags. Credentials are referenced
// by file path (tokenFile, client-certificate), never printed.

export interface SetupOptions {
  url: string;
  /** PEM of the CA that issued the receiver's serving certificate (embedded: it is public). */
  caPem: string;
  tokenFile?: string;
  clientCertFile?: string;
  clientKeyFile?: string;
  configDir: string;
}

export function webhookKubeconfig(options: SetupOptions): string {
  const user: string[] = [];
  if (options.tokenFile !== undefined) user.push(`    tokenFile: ${options.tokenFile}`);
  if (options.clientCertFile !== undefined) user.push(`    client-certificate: ${options.clientCertFile}`);
  if (options.clientKeyFile !== undefined) user.push(`    client-key: ${options.clientKeyFile}`);
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: palisade-audit',
    '  cluster:',
    `    server: ${options.url}`,
    `    certificate-authority-data: ${Buffer.from(options.caPem).toString('base64')}`,
    'users:',
    '- name: kube-apiserver',
    '  user:',
    ...(user.length > 0 ? user : ['    {}']),
    'contexts:',
    '- name: palisade-audit',
    '  context:',
    '    cluster: palisade-audit',
    '    user: kube-apiserver',
    'current-context: palisade-audit',
    '',
  ].join('\n');
}

/** The levels Palisade's detections need, and no more: Secrets and tokens at Metadata (never their payloads),
 *  pod, RBAC, admission and certificate requests with bodies, routine system chatter dropped. */
export const RECOMMENDED_AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
  # High-volume, low-risk system traffic.
  - level: None
    users: ["system:kube-proxy"]
    verbs: ["watch"]
    resources:
      - group: ""
        resources: ["endpoints", "services", "services/status"]
  - level: None
    userGroups: ["system:nodes"]
    verbs: ["get", "update", "patch"]
    resources:
      - group: "coordination.k8s.io"
        resources: ["leases"]
      - group: ""
        resources: ["nodes/status"]
  - level: None
    users: ["system:kube-controller-manager", "system:kube-scheduler"]
    verbs: ["get", "update"]
    resources:
      - group: "coordination.k8s.io"
        resources: ["leases"]
  # Never log Secret, token or TokenReview payloads.
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets", "serviceaccounts/token"]
      - group: "authentication.k8s.io"
        resources: ["tokenreviews"]
  # ConfigMaps: the request body (credential detection), not every response.
  - level: Request
    resources:
      - group: ""
        resources: ["configmaps"]
  # Bodies for what detections inspect: pods (and exec/attach/ephemeral containers), services, namespaces,
  # RBAC, workloads, admission configuration and certificate requests.
  - level: RequestResponse
    resources:
      - group: ""
        resources: ["pods", "pods/*", "services", "namespaces"]
      - group: "rbac.authorization.k8s.io"
      - group: "apps"
      - group: "batch"
      - group: "admissionregistration.k8s.io"
      - group: "certificates.k8s.io"
  # Everything else, including non-resource URLs and events deletions: who did what.
  - level: Metadata
`;

export function setupText(options: SetupOptions): string {
  const dir = options.configDir.replace(/\/+$/, '');
  const lines = [
    '# 1. Save the two files below on every control-plane node:',
    `#      ${dir}/audit-webhook.kubeconfig   ${dir}/audit-policy.yaml`,
  ];
  if (options.tokenFile !== undefined)
    lines.push(
      `#    and put the receiver's bearer token (the same value \`palisade watch --token-file\` reads) in ${options.tokenFile} (mode 0600).`,
    );
  if (options.clientCertFile !== undefined)
    lines.push(
      `#    and the API server's client certificate and key in ${options.clientCertFile} and ${options.clientKeyFile ?? '(key file)'}.`,
    );
  lines.push(
    '# 2. Add these flags to kube-apiserver (static pod: /etc/kubernetes/manifests/kube-apiserver.yaml, and mount the directory):',
    `#      --audit-policy-file=${dir}/audit-policy.yaml`,
    `#      --audit-webhook-config-file=${dir}/audit-webhook.kubeconfig`,
    '#      --audit-webhook-mode=batch',
    '#      --audit-webhook-batch-max-wait=5s',
    '#      --audit-webhook-initial-backoff=5s',
    '#    Keeping a log backend too (--audit-log-path=...) gives `palisade watch --file` a fallback.',
    `# 3. Check: the receiver logs accepted batches; \`curl --cacert <ca> ${new URL('/healthz', options.url).href}\` answers ok.`,
    '',
    `# ---- ${dir}/audit-webhook.kubeconfig`,
    webhookKubeconfig(options),
    `# ---- ${dir}/audit-policy.yaml`,
    RECOMMENDED_AUDIT_POLICY,
  );
  return lines.join('\n');
}

import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { podWith } from './control-plane-examples.ts';
import {
  checkComponent,
  flagViolation,
  isPlainHttpUrl,
  listValue,
  mayRunComponent,
} from './control-plane-flags.ts';

export default defineRule({
  id: 'apiserver-etcd-tls',
  title: 'API server talks to etcd without TLS or without a client certificate',
  severity: 'high',
  domain: 'cluster',
  kinds: ['Pod'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['1.2.23', '1.2.26'], 'nsa-cisa': ['etcd'] },
  description:
    'etcd holds every object of the cluster, Secrets included. The API server must reach it over TLS (`https://` in `--etcd-servers`), verify it (`--etcd-cafile`) and authenticate with a client certificate (`--etcd-certfile`, `--etcd-keyfile`). ' +
    'Data: the `kube-apiserver` static pod, its command and args.',
  remediation:
    'Use `https://` etcd endpoints and set `--etcd-cafile`, `--etcd-certfile` and `--etcd-keyfile`.',
  references: [
    'https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/#securing-etcd-clusters',
  ],
  examples: {
    pass: [podWith('kube-apiserver', {})],
    fail: [
      podWith('kube-apiserver', { set: ['--etcd-servers=http://127.0.0.1:2379'] }),
      podWith('kube-apiserver', { remove: ['--etcd-certfile', '--etcd-keyfile'] }),
    ],
  },
  screen: mayRunComponent,
  check: (object) =>
    checkComponent(object, 'kube-apiserver', (process) => {
      const violations: Violation[] = [];
      const plain = listValue(process.flags.get('etcd-servers')).filter(isPlainHttpUrl);
      if (plain.length > 0)
        violations.push(
          flagViolation(process, 'etcd-servers', `etcd is reached without TLS: ${plain.join(', ')}`),
        );
      for (const flag of ['etcd-cafile', 'etcd-certfile', 'etcd-keyfile'])
        if (!process.flags.has(flag)) violations.push(flagViolation(process, flag, `--${flag} is not set`));
      return violations;
    }),
});

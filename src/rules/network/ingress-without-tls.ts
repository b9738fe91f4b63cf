import { isRecord, type KubeObject, nameOf } from '../../core/kube-object.ts';
import { defineRule, type Violation } from '../../core/rule.ts';
import { object } from '../example-objects.ts';

/** Annotations through which cloud ingress controllers attach certificates outside `spec.tls`. */
const CERTIFICATE_ANNOTATIONS = [
  'alb.ingress.kubernetes.io/certificate-arn',
  'networking.gke.io/managed-certificates',
  'ingress.gcp.kubernetes.io/pre-shared-cert',
  'ingress.kubernetes.io/pre-shared-cert',
  'appgw.ingress.kubernetes.io/appgw-ssl-certificate',
];

interface TlsCoverage {
  all: boolean;
  hosts: string[];
}

function tlsCoverage(spec: Record<string, unknown>): TlsCoverage {
  const coverage: TlsCoverage = { all: false, hosts: [] };
  if (!Array.isArray(spec.tls)) return coverage;
  for (const entry of spec.tls) {
    if (!isRecord(entry)) continue;
    const hosts = Array.isArray(entry.hosts)
      ? entry.hosts.filter((host): host is string => typeof host === 'string')
      : [];
    // An entry without hosts applies to the controller's default (wildcard) certificate.
    if (hosts.length === 0) coverage.all = true;
    coverage.hosts.push(...hosts.map((host) => host.toLowerCase()));
  }
  return coverage;
}

/** `*.example.com` covers exactly one label in front of `example.com`, as in X.509. */
function covers(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!pattern.startsWith('*.')) return false;
  const suffix = pattern.slice(1);
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.') && host.length > suffix.length;
}

const PASS: KubeObject[] = [
  object('networking.k8s.io/v1', 'Ingress', 'shop', {
    spec: {
      tls: [{ hosts: ['shop.example.com', '*.api.example.com'], secretName: 'shop-tls' }],
      rules: [
        {
          host: 'shop.example.com',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
            ],
          },
        },
        {
          host: 'v1.api.example.com',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } },
            ],
          },
        },
      ],
    },
  }),
];

const FAIL: KubeObject[] = [
  object('networking.k8s.io/v1', 'Ingress', 'shop', {
    spec: {
      tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
      rules: [
        {
          host: 'shop.example.com',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
            ],
          },
        },
        {
          host: 'admin.example.com',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'admin', port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
  }),
  object('networking.k8s.io/v1', 'Ingress', 'plain', {
    spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
  }),
];

export default defineRule({
  id: 'ingress-without-tls',
  title: 'Ingress serves hosts without TLS',
  severity: 'medium',
  domain: 'network',
  kinds: ['Ingress'],
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'nsa-cisa': ['encryption'] },
  description:
    'Hosts an Ingress serves without a TLS certificate are served over plain HTTP: credentials, cookies and data cross the network readable and modifiable by anyone on the path. ' +
    'Each rule host is checked against `spec.tls[].hosts` (a wildcard covers one label; an entry without hosts covers every host); a rule without a host, or a default backend (which answers every host no rule names), needs a `spec.tls` entry without hosts. ' +
    'Ingresses whose certificate is attached by a cloud controller annotation (AWS ALB `certificate-arn`, GKE managed or pre-shared certificates, Azure Application Gateway) are not flagged.',
  remediation:
    'Add a `spec.tls` entry listing every host with the Secret holding its certificate (cert-manager can issue and renew it), and redirect HTTP to HTTPS in the controller.',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/ingress/#tls',
    'https://cert-manager.io/docs/usage/ingress/',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (obj) => {
    const spec = obj.spec;
    if (!isRecord(spec)) return [];
    const annotations = isRecord(obj.metadata.annotations) ? obj.metadata.annotations : {};
    if (
      CERTIFICATE_ANNOTATIONS.some((key) => typeof annotations[key] === 'string' && annotations[key] !== '')
    )
      return [];
    const coverage = tlsCoverage(spec);
    if (coverage.all) return [];
    const name = nameOf(obj);
    const out: Violation[] = [];
    const rules = Array.isArray(spec.rules) ? spec.rules : [];
    rules.forEach((rule, index) => {
      if (!isRecord(rule)) return;
      const host = typeof rule.host === 'string' && rule.host !== '' ? rule.host.toLowerCase() : undefined;
      if (host === undefined)
        out.push({
          message: `Ingress "${name}" rules[${index}] has no host and no spec.tls entry covers all hosts: it is served over plain HTTP`,
          path: ['spec', 'rules', index],
        });
      else if (!coverage.hosts.some((pattern) => covers(pattern, host)))
        out.push({
          message: `Ingress "${name}" serves host ${host} over plain HTTP: no spec.tls entry covers it`,
          path: ['spec', 'rules', index, 'host'],
        });
    });
    // The default backend answers every request no rule matches, whatever its host: it needs TLS for all hosts.
    const backend = spec.defaultBackend ?? spec.backend;
    if (isRecord(backend))
      out.push({
        message:
          rules.length === 0
            ? `Ingress "${name}" has a default backend and no spec.tls: it is served over plain HTTP`
            : `Ingress "${name}" has a default backend, which answers hosts no rule names, and no spec.tls entry covers all hosts: those are served over plain HTTP`,
        path: ['spec', 'tls'],
      });
    return out;
  },
});

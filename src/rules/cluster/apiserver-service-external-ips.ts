import { defineRule } from '../../core/rule.ts';
import { podWith } from './control-plane-examples.ts';
import { checkComponent, flagViolation, listValue, mayRunComponent } from './control-plane-flags.ts';

const PLUGIN = 'DenyServiceExternalIPs';

export default defineRule({
  id: 'apiserver-service-external-ips',
  title: 'API server lets Services claim external IPs',
  severity: 'low',
  domain: 'cluster',
  kinds: ['Pod'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['1.2.3'] },
  description:
    `Without the \`${PLUGIN}\` admission plugin (off by default), anyone who may create or update a Service can set \`spec.externalIPs\` to any address, and kube-proxy then sends the cluster's traffic for that address to the Service's pods: a way to intercept connections (CVE-2020-8554). ` +
    'The plugin refuses new external IPs and keeps existing ones; CIS rates the check manual because clusters that use external IPs must first move them to another mechanism (a LoadBalancer, or a policy engine that allows chosen addresses). ' +
    'The legacy `--admission-control` flag is read too. Data: the `kube-apiserver` static pod, its command and args.',
  remediation: `Add \`${PLUGIN}\` to \`--enable-admission-plugins\` once no Service needs \`spec.externalIPs\`, or restrict external IPs with an admission policy.`,
  references: [
    'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#denyserviceexternalips',
    'https://github.com/kubernetes/kubernetes/issues/97076',
  ],
  examples: {
    pass: [
      podWith('kube-apiserver', {}),
      podWith('kube-apiserver', {
        set: [`--admission-control=NamespaceLifecycle,ServiceAccount,NodeRestriction,PodSecurity,${PLUGIN}`],
        remove: ['--enable-admission-plugins'],
      }),
    ],
    fail: [
      podWith('kube-apiserver', { set: ['--enable-admission-plugins=NodeRestriction,PodSecurity'] }),
      podWith('kube-apiserver', { set: [`--disable-admission-plugins=${PLUGIN}`] }),
      podWith('kube-apiserver', { remove: ['--enable-admission-plugins'] }),
    ],
  },
  screen: mayRunComponent,
  check: (object) =>
    checkComponent(object, 'kube-apiserver', (process) => {
      const legacy = !process.flags.has('enable-admission-plugins') && process.flags.has('admission-control');
      const enabledFlag = legacy ? 'admission-control' : 'enable-admission-plugins';
      const disabled = listValue(process.flags.get('disable-admission-plugins')).includes(PLUGIN);
      if (listValue(process.flags.get(enabledFlag)).includes(PLUGIN) && !disabled) return [];
      return [
        flagViolation(
          process,
          disabled ? 'disable-admission-plugins' : enabledFlag,
          `the ${PLUGIN} admission plugin is not enabled: Services may claim any external IP`,
        ),
      ];
    }),
});

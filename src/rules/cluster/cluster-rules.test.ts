// Behaviour of the cluster rules beyond their examples: flag parsing, cross-object context, observability.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate, evaluateObjects } from '../../core/engine.ts';
import { Inventory } from '../../core/inventory.ts';
import { type KubeObject, refOf } from '../../core/kube-object.ts';
import { parsePssVersion } from '../../core/pss-version.ts';
import type { Rule } from '../../core/rule.ts';
import { object } from '../example-objects.ts';
import apiserverAuthorizationMode from './apiserver-authorization-mode.ts';
import auditPolicyCoverage from './audit-policy-coverage.ts';
import { HARDENED_FLAGS, podWith, staticPod } from './control-plane-examples.ts';
import { componentProcesses, flagIsTrue } from './control-plane-flags.ts';
import encryptionProviderOrder from './encryption-provider-order.ts';
import etcdTls from './etcd-tls.ts';
import { clusterRules } from './index.ts';
import kubeProxyMetricsBind, { kubeProxyObservable } from './kube-proxy-metrics-bind.ts';
import kubeSystemUnknownImage from './kube-system-unknown-image.ts';
import { kubeletConfig } from './kubelet-examples.ts';
import namespacePodSecurityLevel from './namespace-pod-security-level.ts';
import namespaceResourceLimits from './namespace-resource-limits.ts';
import nodeKubeletVersion from './node-kubelet-version.ts';
import { controlPlaneObservability } from './observability.ts';
import runtimeClassMissing from './runtime-class-missing.ts';
import webhookNoSystemExemption from './webhook-no-system-exemption.ts';

const latest = parsePssVersion('latest');
const messages = (rules: readonly Rule[], objects: KubeObject[]) =>
  evaluateObjects(objects, { rules, pssVersion: latest }).findings.map((finding) => finding.message);

describe('control-plane flags', () => {
  test('--flag=value, --flag value, boolean flags and args after the command; the last occurrence wins', () => {
    const pod = staticPod('etcd', []);
    const container = (pod.spec as { containers: Record<string, unknown>[] }).containers[0] as Record<
      string,
      unknown
    >;
    container.command = ['/usr/local/bin/etcd', '--name', 'one', '--client-cert-auth', '--data-dir=/a'];
    container.args = ['--data-dir=/b', '--auto-tls=false'];
    const [process] = componentProcesses(pod, 'etcd');
    assert.ok(process);
    assert.equal(process.flags.get('name')?.value, 'one');
    assert.equal(process.flags.get('client-cert-auth')?.value, 'true');
    assert.equal(process.flags.get('data-dir')?.value, '/b');
    assert.deepEqual(process.flags.get('data-dir')?.path, ['spec', 'containers', 0, 'args', 0]);
    assert.equal(flagIsTrue(process.flags.get('auto-tls'), true), false);
  });

  test('the component is recognised by its program, or by its image when there is no command', () => {
    const byImage = object('v1', 'Pod', 'x', {
      spec: {
        containers: [
          { name: 'api', image: 'registry.k8s.io/kube-apiserver:v1.31.0', args: ['--profiling=false'] },
        ],
      },
    });
    assert.equal(componentProcesses(byImage, 'kube-apiserver')[0]?.flags.get('profiling')?.value, 'false');
    const wrapper = object('v1', 'Pod', 'y', {
      spec: {
        containers: [
          { name: 'tool', image: 'registry.k8s.io/kube-apiserver:v1.31.0', command: ['sh', '-c', 'x'] },
        ],
      },
    });
    // The image says kube-apiserver but the command does not show its flags: not observable, not ignored.
    assert.ok(componentProcesses(wrapper, 'kube-apiserver')[0]?.unobservable);
    const deployment = { ...podWith('kube-apiserver', {}), kind: 'Deployment' };
    assert.deepEqual(componentProcesses(deployment, 'kube-apiserver'), []);
  });

  test('the hardened control plane and kubelet pass every cluster rule', () => {
    const objects = [
      ...(Object.keys(HARDENED_FLAGS) as (keyof typeof HARDENED_FLAGS)[]).map((component) =>
        podWith(component, {}),
      ),
      kubeletConfig(),
    ];
    assert.deepEqual(messages(clusterRules, objects), []);
  });

  test('violations point at the flag when it is written, else at the command', () => {
    const findings = evaluateObjects(
      [podWith('kube-apiserver', { set: ['--authorization-mode=AlwaysAllow,RBAC'] })],
      {
        rules: [apiserverAuthorizationMode],
        pssVersion: latest,
      },
    ).findings;
    assert.deepEqual(
      findings.map((finding) => [finding.message, finding.location.path]),
      [
        [
          'kube-apiserver (container "kube-apiserver"): --authorization-mode includes AlwaysAllow',
          'spec.containers[0].command[27]',
        ],
        [
          'kube-apiserver (container "kube-apiserver"): --authorization-mode (AlwaysAllow,RBAC) does not include Node',
          'spec.containers[0].command[27]',
        ],
      ],
    );
  });

  test('etcd peers on loopback need no peer TLS; peers on the network do', () => {
    const single = podWith('etcd', {
      remove: ['--peer-cert-file', '--peer-key-file', '--peer-client-cert-auth', '--peer-trusted-ca-file'],
      set: ['--listen-peer-urls=http://127.0.0.1:2380'],
    });
    assert.deepEqual(messages([etcdTls], [single]), []);
    const exposed = podWith('etcd', {
      set: ['--listen-peer-urls=http://10.0.0.11:2380', '--peer-auto-tls=true'],
    });
    // The hardened pod keeps its peer certificates, which etcd then prefers to automatic TLS.
    assert.deepEqual(messages([etcdTls], [exposed]), [
      'etcd (container "etcd"): peer connections are served without TLS: http://10.0.0.11:2380',
      'etcd (container "etcd"): --peer-auto-tls is true: ignored while --peer-cert-file and --peer-key-file are set, and self-signed should they go; remove it',
    ]);
    const automatic = podWith('etcd', {
      remove: ['--peer-cert-file', '--peer-key-file'],
      set: ['--listen-peer-urls=https://10.0.0.11:2380', '--peer-auto-tls=true'],
    });
    assert.ok(
      messages([etcdTls], [automatic]).includes(
        'etcd (container "etcd"): --peer-auto-tls is true: self-signed certificates nobody verifies',
      ),
    );
  });
});

describe('configuration files', () => {
  test('encryption: the first entry naming secrets decides, wildcards included', () => {
    const config = (resources: unknown[]) =>
      object('apiserver.config.k8s.io/v1', 'EncryptionConfiguration', 'enc', { resources });
    assert.deepEqual(
      messages(
        [encryptionProviderOrder],
        [
          config([
            { resources: ['*.*'], providers: [{ identity: {} }] },
            { resources: ['secrets'], providers: [{ aescbc: {} }] },
          ]),
        ],
      ),
      ['identity is the first provider for secrets: new Secrets are written unencrypted'],
    );
    assert.deepEqual(
      messages(
        [encryptionProviderOrder],
        [config([{ resources: ['secrets'], providers: [{ kms: {} }, { identity: {} }] }])],
      ),
      [],
    );
  });

  test('audit policy: first match wins, user-limited rules are passed over, other Policy kinds are ignored', () => {
    const policy = (rules: unknown[], apiVersion = 'audit.k8s.io/v1') =>
      object(apiVersion, 'Policy', 'p', { rules });
    const found = messages(
      [auditPolicyCoverage],
      [
        policy([
          { level: 'None', users: ['system:kube-proxy'] },
          { level: 'RequestResponse', resources: [{ group: '', resources: ['secrets'] }] },
          { level: 'Metadata' },
        ]),
      ],
    );
    assert.deepEqual(found, [
      'Secret values are written to the audit log (get secrets is logged at level RequestResponse)',
    ]);
    const subresources = messages(
      [auditPolicyCoverage],
      [policy([{ level: 'None', resources: [{ group: '', resources: ['pods/*'] }] }, { level: 'Metadata' }])],
    );
    assert.deepEqual(subresources, [
      'exec into pods is not audited (create pods/exec is logged at level None)',
    ]);
    assert.deepEqual(messages([auditPolicyCoverage], [policy([], 'kyverno.io/v1')]), []);
  });
});

describe('cluster posture', () => {
  const node = (name: string, version: string) =>
    object('v1', 'Node', name, { status: { nodeInfo: { kubeletVersion: version } } });

  test('kubelet skew is measured against the API server image when scanned, else the newest kubelet', () => {
    const apiserver = staticPod('kube-apiserver', []);
    // 1.28 trails 1.31 by three minors, which the skew policy allows (it is end of life, though).
    assert.deepEqual(messages([nodeKubeletVersion], [apiserver, node('b', 'v1.28.0')]), [
      'node b: kubelet v1.28.0 is end of life (1.28 maintenance ended 2024-10-28)',
    ]);
    assert.ok(
      messages([nodeKubeletVersion], [apiserver, node('c', 'v1.27.0')]).includes(
        'node c: kubelet v1.27.0 is 4 minor versions behind kube-apiserver image registry.k8s.io/kube-apiserver:v1.31.0, beyond the skew policy',
      ),
    );
    assert.deepEqual(
      messages([nodeKubeletVersion], [apiserver, node('newer', 'v1.32.1')]).filter((m) =>
        m.includes('newer than'),
      ),
      [
        'node newer: kubelet v1.32.1 is newer than the API server (kube-apiserver image registry.k8s.io/kube-apiserver:v1.31.0): unsupported',
      ],
    );
    const behind = messages([nodeKubeletVersion], [node('a', 'v1.36.0'), node('b', 'v1.32.3')]);
    assert.ok(
      behind.includes(
        'node b: kubelet v1.32.3 is 4 minor versions behind newest kubelet (node a), beyond the skew policy',
      ),
    );
    assert.deepEqual(
      messages([nodeKubeletVersion], [node('eks', 'v1.35.2-eks-4096722'), node('odd', 'unknown')]),
      [],
    );
  });

  test('kube-proxy metrics: loopback and the defaulted empty value pass; every-address and other hosts fail', () => {
    const proxy = (address: unknown) =>
      object('kubeproxy.config.k8s.io/v1alpha1', 'KubeProxyConfiguration', 'kp', {
        metricsBindAddress: address,
      });
    const failing = (address: unknown) => messages([kubeProxyMetricsBind], [proxy(address)]).length > 0;
    for (const address of [
      '',
      '127.0.0.1:10249',
      '127.0.0.2:9000',
      '[::1]:10249',
      'localhost:10249',
      undefined,
    ])
      assert.equal(failing(address), false, String(address));
    for (const address of ['0.0.0.0:10249', ':10249', '[::]:10249', '10.0.0.5:10249', '0.0.0.0', 42])
      assert.equal(failing(address), true, String(address));
    // kubeadm's ConfigMap as the recorded kind cluster has it (metricsBindAddress: ""), and one outside kube-system.
    const configMap = (namespace: string, address: string) =>
      object(
        'v1',
        'ConfigMap',
        'kube-proxy',
        {
          data: {
            'config.conf': `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmetricsBindAddress: "${address}"\n`,
            kubeconfig: 'apiVersion: v1\nkind: Config\n',
          },
        },
        { namespace },
      );
    assert.deepEqual(messages([kubeProxyMetricsBind], [configMap('kube-system', '')]), []);
    assert.deepEqual(messages([kubeProxyMetricsBind], [configMap('kube-system', '0.0.0.0:10249')]), [
      'kube-proxy configuration in ConfigMap kube-system/kube-proxy (key config.conf): the metrics endpoint listens on every address (0.0.0.0:10249)',
    ]);
    assert.deepEqual(messages([kubeProxyMetricsBind], [configMap('shop', '0.0.0.0:10249')]), []);
  });

  test('kube-proxy metrics on flags alone: read without --config, ignored with it, as kube-proxy does', () => {
    const container = (command: string[], args: string[] = []) => ({
      name: 'kube-proxy',
      image: 'registry.k8s.io/kube-proxy:v1.31.0',
      command,
      ...(args.length > 0 ? { args } : {}),
    });
    const daemonSet = (namespace: string, ...containers: object[]) =>
      object(
        'apps/v1',
        'DaemonSet',
        'kube-proxy',
        { spec: { template: { spec: { containers } } } },
        { namespace },
      );
    const staticPod = (command: string[]) =>
      object(
        'v1',
        'Pod',
        'kube-proxy-node-1',
        { spec: { containers: [container(command)] } },
        { namespace: 'kube-system' },
      );
    const findings = (obj: KubeObject) =>
      evaluate(Inventory.of([obj]), {
        rules: [kubeProxyMetricsBind],
        pssVersion: parsePssVersion('latest'),
      }).findings.map((finding) => [finding.message, finding.location.path]);
    // Flags only, with the value as the next word after a boolean flag: exposed.
    assert.deepEqual(
      findings(
        daemonSet(
          'kube-system',
          container(
            ['/usr/local/bin/kube-proxy'],
            ['--masquerade-all', '--metrics-bind-address', '0.0.0.0:10249'],
          ),
        ),
      ),
      [
        [
          'kube-proxy (container "kube-proxy", no --config): the metrics endpoint listens on every address (0.0.0.0:10249)',
          'spec.template.spec.containers[0].args[1]',
        ],
      ],
    );
    // A static pod behind a shell, as GKE runs it; the last occurrence of a flag wins.
    assert.deepEqual(
      findings(
        staticPod([
          '/bin/sh',
          '-c',
          'exec kube-proxy --metrics-bind-address=127.0.0.1:10249 --metrics-bind-address=10.0.0.5:10249 --v=2 1>>/var/log/kube-proxy.log 2>&1',
        ]),
      ).map(([message]) => message),
      [
        'kube-proxy (container "kube-proxy", no --config): the metrics endpoint listens on 10.0.0.5:10249, not loopback',
      ],
    );
    // The default (127.0.0.1:10249), an explicit loopback, or an empty value (disabled) pass.
    for (const flags of [[], ['--metrics-bind-address=127.0.0.1:10249'], ['--metrics-bind-address=']])
      assert.deepEqual(
        findings(daemonSet('kube-system', container(['kube-proxy', ...flags]))),
        [],
        flags.join(' '),
      );
    // With --config the file decides and the flag is ignored (the file is checked through its ConfigMap).
    assert.deepEqual(
      findings(
        daemonSet(
          'kube-system',
          container([
            'kube-proxy',
            '--config=/var/lib/kube-proxy/config.conf',
            '--metrics-bind-address=0.0.0.0:10249',
          ]),
        ),
      ),
      [],
    );
    // Outside kube-system it is not the node's kube-proxy.
    assert.deepEqual(
      findings(daemonSet('tools', container(['kube-proxy', '--metrics-bind-address=0.0.0.0:10249']))),
      [],
    );
    // What can be observed: a flags-only kube-proxy counts, one run with --config does not (its file is elsewhere).
    assert.equal(
      kubeProxyObservable(Inventory.of([daemonSet('kube-system', container(['kube-proxy', '--v=2']))])),
      true,
    );
    assert.equal(
      kubeProxyObservable(
        Inventory.of([daemonSet('kube-system', container(['kube-proxy', '--config=/x.conf']))]),
      ),
      false,
    );
  });

  test("a cluster's /version is the reference when no kube-apiserver pod is scanned (managed clusters)", () => {
    const findingsWith = (serverVersion: string | undefined, objects: KubeObject[]) =>
      evaluate(
        new Inventory(
          objects.map((object) => ({ object, ref: refOf(object), source: { type: 'inline' } as const })),
          serverVersion === undefined ? {} : { serverVersion },
        ),
        { rules: [nodeKubeletVersion], pssVersion: latest },
      )
        .findings.map((finding) => finding.message)
        .filter((message) => !message.includes('end of life'));
    const nodes = [node('new', 'v1.36.1-eks-113cf36'), node('old', 'v1.33.7-eks-113cf36')];
    // The newest kubelet as the reference sees neither a kubelet ahead of the server nor the old one's lag.
    assert.deepEqual(findingsWith(undefined, nodes), []);
    assert.deepEqual(findingsWith('v1.35.3-eks-e3d1a61', nodes), [
      'node new: kubelet v1.36.1-eks-113cf36 is newer than the API server (the API server (v1.35.3-eks-e3d1a61)): unsupported',
    ]);
    assert.deepEqual(findingsWith('v1.37.0', nodes), [
      'node old: kubelet v1.33.7-eks-113cf36 is 4 minor versions behind the API server (v1.37.0), beyond the skew policy',
    ]);
    // A kube-apiserver pod, when scanned, still wins: it is what runs.
    const pod = staticPod('kube-apiserver', []);
    assert.ok(
      findingsWith('v1.36.0', [pod, node('n', 'v1.32.0')]).some((m) =>
        m.includes('newer than the API server (kube-apiserver image'),
      ),
    );
  });

  test('the oldest API server of an HA control plane is the reference, whatever the order; a digest is read past', () => {
    const apiserverAt = (name: string, image: string) => {
      const pod = staticPod('kube-apiserver', []);
      pod.metadata.name = name;
      ((pod.spec as { containers: { image: string }[] }).containers[0] as { image: string }).image = image;
      return pod;
    };
    const upgraded = apiserverAt('kube-apiserver-a', 'registry.k8s.io/kube-apiserver:v1.35.0');
    const behind = apiserverAt('kube-apiserver-b', 'registry.k8s.io/kube-apiserver:v1.34.1');
    const kubelet = node('n', 'v1.35.0');
    for (const order of [
      [upgraded, behind, kubelet],
      [behind, upgraded, kubelet],
    ])
      assert.deepEqual(
        messages([nodeKubeletVersion], order).filter((m) => m.includes('newer than')),
        [
          'node n: kubelet v1.35.0 is newer than the API server (kube-apiserver image registry.k8s.io/kube-apiserver:v1.34.1): unsupported',
        ],
      );
    const pinned = apiserverAt(
      'kube-apiserver',
      `registry.k8s.io/kube-apiserver:v1.34.1@sha256:${'0'.repeat(64)}`,
    );
    assert.equal(
      messages([nodeKubeletVersion], [pinned, kubelet]).filter((m) => m.includes('newer than')).length,
      1,
    );
  });

  test('EKS add-on images in kube-system are known, the VPC CNI and China regions included', () => {
    const daemonSet = object('apps/v1', 'DaemonSet', 'aws-node', {
      spec: {
        template: {
          spec: {
            containers: [
              '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.18.1-eksbuild.1',
              '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni-init:v1.18.1-eksbuild.1',
              '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon/aws-network-policy-agent:v1.1.1',
              '961992271922.dkr.ecr.cn-northwest-1.amazonaws.com.cn/eks/kube-proxy:v1.29.0-minimal-eksbuild.1',
              '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni-evil:v1',
            ].map((image, index) => ({ name: `c${index}`, image })),
          },
        },
      },
    });
    daemonSet.metadata.namespace = 'kube-system';
    assert.deepEqual(
      messages([kubeSystemUnknownImage], [daemonSet]).map((m) => m.replace(/ runs .*/, '')),
      ['container c4 in kube-system'],
    );
  });

  test("a scanned AdmissionConfiguration's PodSecurity defaults and exemptions decide for unlabelled namespaces", () => {
    const admission = (configuration: Record<string, unknown>) =>
      object('apiserver.config.k8s.io/v1', 'AdmissionConfiguration', '', {
        plugins: [
          {
            name: 'PodSecurity',
            configuration: {
              apiVersion: 'pod-security.admission.config.k8s.io/v1',
              kind: 'PodSecurityConfiguration',
              ...configuration,
            },
          },
        ],
      });
    const unlabelled = object('v1', 'Namespace', 'shop', {});
    const legacy = object('v1', 'Namespace', 'legacy', {});
    legacy.metadata.labels = { 'pod-security.kubernetes.io/enforce': 'restricted' };
    const restricted = admission({
      defaults: { enforce: 'restricted' },
      exemptions: { namespaces: ['legacy'] },
    });
    assert.deepEqual(messages([namespacePodSecurityLevel], [unlabelled, legacy, restricted]), [
      'namespace legacy is exempt from Pod Security Admission (AdmissionConfiguration): no level is enforced there',
    ]);
    assert.deepEqual(messages([namespacePodSecurityLevel], [unlabelled, admission({ defaults: {} })]), [
      'namespace shop has no pod-security.kubernetes.io/enforce label, and the cluster default is privileged (AdmissionConfiguration)',
    ]);
    // Without the file, or with the configuration in another file (`path`), the built-in default is assumed.
    const byPath = object('apiserver.config.k8s.io/v1', 'AdmissionConfiguration', '', {
      plugins: [{ name: 'PodSecurity', path: '/etc/kubernetes/pod-security.yaml' }],
    });
    assert.match(
      messages([namespacePodSecurityLevel], [unlabelled, byPath])[0] ?? '',
      /the cluster default applies \(privileged unless configured otherwise\)/,
    );
  });

  test('a webhook that cannot block system pods is not reported: CONNECT only, scope Cluster, Namespaces only', () => {
    const webhookWith = (rule: Record<string, unknown>) =>
      object('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'w', {
        webhooks: [{ name: 'w.example.com', failurePolicy: 'Fail', rules: [{ apiGroups: [''], ...rule }] }],
      });
    for (const rule of [
      { operations: ['CONNECT'], resources: ['pods/*'] },
      { operations: ['CREATE'], resources: ['pods'], scope: 'Cluster' },
      { operations: ['*'], resources: ['*'], scope: 'Cluster' },
      { operations: ['CREATE', 'UPDATE'], resources: ['namespaces'] },
    ])
      assert.deepEqual(messages([webhookNoSystemExemption], [webhookWith(rule)]), [], JSON.stringify(rule));
    for (const rule of [
      { operations: ['CREATE', 'CONNECT'], resources: ['pods'] },
      { operations: ['*'], resources: ['*'], scope: 'Namespaced' },
      { resources: ['pods'] },
    ])
      assert.equal(messages([webhookNoSystemExemption], [webhookWith(rule)]).length, 1, JSON.stringify(rule));
  });

  test('a webhook excluding kube-system by its own label passes; the scanned Namespace labels are used', () => {
    const webhook = (selector: unknown) =>
      object('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'w', {
        webhooks: [
          {
            name: 'w.example.com',
            namespaceSelector: selector,
            rules: [{ apiGroups: ['*'], resources: ['*'] }],
          },
        ],
      });
    const byIgnoreLabel = webhook({
      matchExpressions: [{ key: 'policy.example.com/ignore', operator: 'DoesNotExist' }],
    });
    assert.equal(messages([webhookNoSystemExemption], [byIgnoreLabel]).length, 1);
    const kubeSystem = object('v1', 'Namespace', 'kube-system', {});
    kubeSystem.metadata.labels = { 'policy.example.com/ignore': 'true' };
    assert.deepEqual(messages([webhookNoSystemExemption], [byIgnoreLabel, kubeSystem]), []);
    const customResourcesOnly = object(
      'admissionregistration.k8s.io/v1',
      'ValidatingWebhookConfiguration',
      'v',
      {
        webhooks: [
          {
            name: 'v.metallb.io',
            failurePolicy: 'Fail',
            rules: [{ apiGroups: ['metallb.io'], resources: ['ipaddresspools'] }],
          },
        ],
      },
    );
    assert.deepEqual(messages([webhookNoSystemExemption], [customResourcesOnly]), []);
  });

  test('a RuntimeClass in the scan satisfies runtimeClassName; the message lists those available', () => {
    const job = object('batch/v1', 'Job', 'sandboxed', {
      spec: { template: { spec: { runtimeClassName: 'gvisor', containers: [{ name: 'a', image: 'x:1' }] } } },
    });
    const gvisor = object('node.k8s.io/v1', 'RuntimeClass', 'gvisor', { handler: 'runsc' });
    const kata = object('node.k8s.io/v1', 'RuntimeClass', 'kata', { handler: 'kata' });
    assert.deepEqual(messages([runtimeClassMissing], [job, gvisor]), []);
    assert.deepEqual(messages([runtimeClassMissing], [job, kata]), [
      'runtimeClassName "gvisor" names no RuntimeClass in the scanned objects (available: kata): its pods are rejected at admission',
    ]);
  });

  test('a namespace with both a ResourceQuota and a LimitRange in the scan passes', () => {
    const namespace = object('v1', 'Namespace', 'shop', {});
    const quota = object(
      'v1',
      'ResourceQuota',
      'q',
      { spec: { hard: { pods: '10' } } },
      { namespace: 'shop' },
    );
    const limits = object('v1', 'LimitRange', 'l', { spec: { limits: [] } }, { namespace: 'shop' });
    assert.deepEqual(messages([namespaceResourceLimits], [namespace, quota, limits]), []);
    assert.deepEqual(messages([namespaceResourceLimits], [namespace, quota]), [
      'namespace shop has no LimitRange',
    ]);
  });
});

describe('observability', () => {
  const all = new Set(clusterRules.map((rule) => rule.id));
  const location = { type: 'cluster', context: 'prod', path: '' } as const;

  test('missing static pods make one notice per component, naming the rules that did not run', () => {
    const notices = controlPlaneObservability(Inventory.of([podWith('kube-apiserver', {})]), all, location);
    assert.deepEqual(
      notices.map((notice) => notice.message.split(':')[0]),
      [
        'kube-controller-manager configuration not observable',
        'kube-scheduler configuration not observable',
        'etcd configuration not observable',
        'kube-proxy configuration not observable',
        'which encryption provider comes first for Secrets not observable',
        'the audit policy levels not observable',
      ],
    );
    assert.match(notices[2]?.message ?? '', /not evaluated for it: etcd-tls$/);
  });

  test('scanning the referenced files, or not selecting the rules, removes the notices', () => {
    const inventory = Inventory.of([
      ...(Object.keys(HARDENED_FLAGS) as (keyof typeof HARDENED_FLAGS)[]).map((component) =>
        podWith(component, {}),
      ),
      object('apiserver.config.k8s.io/v1', 'EncryptionConfiguration', 'enc', { resources: [] }),
      object('audit.k8s.io/v1', 'Policy', 'audit', { rules: [] }),
      object('kubeproxy.config.k8s.io/v1alpha1', 'KubeProxyConfiguration', 'kube-proxy', {}),
    ]);
    assert.deepEqual(controlPlaneObservability(inventory, all, location), []);
    assert.deepEqual(
      controlPlaneObservability(Inventory.of([]), new Set(['node-port-service']), location),
      [],
    );
  });
});

import { isRecord, type KubeObject, valueText } from '../../core/kube-object.ts';
import { containerViolations, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { deployment } from '../example-objects.ts';

const PASS: KubeObject[] = [
  deployment('web', {
    volumes: [{ name: 'db', secret: { secretName: 'db' } }],
    containers: [
      {
        name: 'app',
        image: 'web:1.0',
        env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'web', key: 'mode' } } }],
        envFrom: [{ configMapRef: { name: 'web' } }],
        volumeMounts: [{ name: 'db', mountPath: '/etc/db', readOnly: true }],
      },
    ],
  }),
];

const FAIL: KubeObject[] = [
  deployment('web', {
    containers: [
      {
        name: 'app',
        image: 'web:1.0',
        env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
        envFrom: [{ secretRef: { name: 'api' } }],
      },
    ],
  }),
];

export default defineRule({
  id: 'secret-in-env-var',
  title: 'Secret passed as an environment variable',
  severity: 'low',
  domain: 'secrets',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'cis-k8s': ['5.4.1'], 'nsa-cisa': ['secrets'] },
  description:
    'Environment variables leak more easily than files: they are inherited by every child process, printed by crash handlers and debug endpoints, logged by frameworks that dump their configuration, and visible in `/proc/<pid>/environ`. ' +
    'They also never change while the container runs, so a rotated Secret needs a restart. This rule flags each `env[].valueFrom.secretKeyRef` and `envFrom[].secretRef`, in every container type.',
  remediation:
    'Mount the Secret as a volume (`secret.secretName`, read-only) and have the application read the file; many images accept a `*_FILE` variable naming the file for this.',
  references: [
    'https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod',
    'https://kubernetes.io/docs/concepts/security/secrets-good-practices/',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (object) =>
    containerViolations(object, (container, out) => {
      const { env, envFrom } = container.container;
      if (Array.isArray(env))
        env.forEach((variable, index) => {
          if (!isRecord(variable) || !isRecord(variable.valueFrom)) return;
          const ref = variable.valueFrom.secretKeyRef;
          if (!isRecord(ref)) return;
          out.push({
            message: `container "${container.name}" reads Secret "${valueText(ref.name ?? '')}" key "${valueText(ref.key ?? '')}" into environment variable "${valueText(variable.name ?? '')}"`,
            path: [...container.path, 'env', index, 'valueFrom', 'secretKeyRef'],
            container: container.name,
          });
        });
      if (Array.isArray(envFrom))
        envFrom.forEach((source, index) => {
          if (!isRecord(source) || !isRecord(source.secretRef)) return;
          out.push({
            message: `container "${container.name}" loads every key of Secret "${valueText(source.secretRef.name ?? '')}" as environment variables (envFrom[${index}])`,
            path: [...container.path, 'envFrom', index, 'secretRef'],
            container: container.name,
          });
        });
    }),
});

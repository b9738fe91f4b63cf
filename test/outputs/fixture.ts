// Fixed scan reports for the writer tests, produced by the real engine from real rules over objects with
// file sources, so the writers see exactly the shapes a scan gives them. Clock and tool version are fixed.
import { evaluate } from '../../src/core/engine.ts';
import type { LoadIssue } from '../../src/core/errors.ts';
import type { ExceptionRule } from '../../src/core/exception.ts';
import { Inventory, type InventoryEntry } from '../../src/core/inventory.ts';
import { type FieldPath, formatPath, type KubeObject, refOf } from '../../src/core/kube-object.ts';
import { parsePssVersion } from '../../src/core/pss-version.ts';
import type { ScanReport, ScanSummary } from '../../src/core/report.ts';
import type { Rule } from '../../src/core/rule.ts';
import { SEVERITIES } from '../../src/core/severity.ts';
import {
  clusterAdminBinding,
  hostPid,
  latestImageTag,
  privilegedContainer,
  runAsNonRoot,
} from './fixture-rules.ts';

/** An object as a loader gives it: from a file, with the positions of the fields the test cares about. */
function fromFile(
  object: KubeObject,
  file: string,
  documentIndex: number,
  line: number,
  positions: Record<string, [number, number]> = {},
): InventoryEntry {
  return {
    object,
    ref: refOf(object),
    source: {
      type: 'file',
      file,
      documentIndex,
      line,
      // Like the real loader: the deepest part of the path that has a position.
      locate: (path: FieldPath) => {
        for (let length = path.length; length > 0; length--) {
          const found = positions[formatPath(path.slice(0, length))];
          if (found) return { line: found[0], column: found[1], path: path.slice(0, length) };
        }
        return { line, column: 1, path: [] };
      },
    },
  };
}

function deployment(namespace: string, name: string, containers: Record<string, unknown>[]): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { template: { metadata: { labels: { app: name } }, spec: { containers } } },
  };
}

const NOW = new Date('2025-06-01T12:00:00Z');

interface Scenario {
  entries: InventoryEntry[];
  exceptions?: ExceptionRule[];
  loadIssues: LoadIssue[];
  inputs: string[];
}

function buildReport(scenario: Scenario, rules: readonly Rule[]): ScanReport {
  const result = evaluate(new Inventory(scenario.entries), {
    rules,
    pssVersion: parsePssVersion('v1.37'),
    exceptions: scenario.exceptions ?? [],
    now: NOW,
  });
  const visible = result.findings.filter((finding) => finding.suppressed === undefined);
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((severity) => [
      severity,
      visible.filter((finding) => finding.severity === severity).length,
    ]),
  ) as ScanSummary['bySeverity'];
  return {
    tool: { name: 'palisade', version: '0.1.0-test' },
    startedAt: NOW.toISOString(),
    inputs: scenario.inputs,
    pssVersion: 'v1.37',
    frameworks: ['pss-baseline', 'pss-restricted', 'cis-k8s'],
    rules,
    findings: result.findings,
    errors: result.errors,
    loadIssues: scenario.loadIssues,
    notices: result.notices,
    expiredExceptions: result.expiredExceptions,
    summary: {
      objects: scenario.entries.length,
      objectsEvaluated: result.objectsEvaluated,
      bySeverity,
      findings: visible.length,
      suppressed: result.findings.length - visible.length,
      // As the CLI counts them: rule errors and input errors.
      errors: result.errors.length + scenario.loadIssues.filter((issue) => issue.severity === 'error').length,
      skippedDocuments: scenario.loadIssues.filter((issue) => issue.severity !== 'info').length,
    },
  };
}

const RULES = [privilegedContainer, runAsNonRoot, latestImageTag, clusterAdminBinding, hostPid];

/** Findings in several files (one path with a space), two suppressions, an expired exception, a rule error,
 * a notice and load issues. */
export function basicReport(): ScanReport {
  const web = deployment('prod', 'web', [
    { name: 'app', image: 'nginx:latest', securityContext: { privileged: true } },
    { name: 'sidecar', image: 'envoy:1.29', securityContext: { runAsNonRoot: true } },
  ]);
  const cleanup: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name: 'cleanup',
      namespace: 'batch',
      annotations: {
        'palisade.dev/ignore': 'run-as-non-root, no-such-rule',
        'palisade.dev/ignore-reason': 'chowns a shared volume as root',
      },
    },
    spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'cleanup', image: 42 }] } } } } },
  };
  const admin: KubeObject = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'ops-admin' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  };
  const debug: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'debug', namespace: 'dev' },
    spec: {
      containers: [
        { name: 'shell', image: 'busybox:1.36', securityContext: { privileged: true, runAsNonRoot: true } },
      ],
    },
  };
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'prod' },
  };
  const c = 'spec.template.spec.containers';
  return buildReport(
    {
      inputs: ['deploy'],
      entries: [
        fromFile(web, 'deploy/web.yaml', 0, 1, {
          [`${c}[0]`]: [17, 9],
          [`${c}[0].image`]: [18, 16],
          [`${c}[0].securityContext.privileged`]: [20, 13],
          [`${c}[1]`]: [21, 9],
        }),
        fromFile(service, 'deploy/web.yaml', 1, 26),
        fromFile(cleanup, 'deploy/jobs.yaml', 0, 1, {
          'metadata.annotations[palisade.dev/ignore]': [7, 5],
          'spec.jobTemplate.spec.template.spec.containers[0]': [15, 15],
        }),
        fromFile(admin, 'deploy/rbac.yaml', 0, 1, { 'roleRef.name': [9, 9] }),
        fromFile(debug, 'deploy/my app/debug pod.yaml', 0, 1, {
          'spec.containers[0]': [7, 5],
          'spec.containers[0].securityContext.privileged': [11, 19],
        }),
      ],
      exceptions: [
        {
          rules: ['privileged-container'],
          kind: 'Pod',
          namespace: 'dev',
          name: '*',
          reason: 'debug pods need host access (SEC-123)',
          expires: '2099-12-31',
          origin: '.palisade.yaml:8',
        },
        {
          rules: ['latest-image-tag'],
          kind: 'Deployment',
          namespace: 'prod',
          name: 'web',
          reason: 'pinned by the release pipeline',
          expires: '2025-01-31',
          origin: '.palisade.yaml:14',
        },
      ],
      loadIssues: [
        {
          severity: 'error',
          code: 'yaml-syntax',
          message: 'bad indentation of a mapping entry',
          file: 'deploy/broken.yaml',
          line: 4,
          column: 7,
        },
        {
          severity: 'warning',
          code: 'not-kubernetes',
          message: 'document 2 has no apiVersion or kind; skipped',
          file: 'deploy/web.yaml',
          line: 40,
          column: 1,
        },
      ],
    },
    RULES,
  );
}

/** User-controlled strings that try to break each format: markup, terminal escapes, bidi overrides, NUL. */
export function hostileReport(): ScanReport {
  const evil: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'x<y>&"z\'', namespace: 'ns]]>' },
    spec: {
      containers: [
        {
          name: 'red\u001b[31mALERT\u001b[0m\u0007\r\nFAKE LINE\u202egnp.exe\u0000\ud800',
          image: 'nginx:1.27',
          securityContext: { privileged: true, runAsNonRoot: true },
        },
      ],
    },
  };
  return buildReport(
    {
      inputs: ['evil dir/#1 <pod>&.yaml'],
      entries: [
        fromFile(evil, 'evil dir/#1 <pod>&.yaml', 0, 1, {
          'spec.containers[0].securityContext.privileged': [9, 19],
        }),
      ],
      loadIssues: [
        {
          severity: 'error',
          code: 'yaml-syntax',
          message: 'unexpected "\u001b]0;pwned\u0007" </failure><x a="1"> & \u0001',
          file: 'evil dir/#1 <pod>&.yaml',
          line: 30,
          column: 2,
        },
      ],
    },
    [privilegedContainer],
  );
}

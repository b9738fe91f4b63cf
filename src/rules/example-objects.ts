// Small builders for the complete objects rules use as examples and tests use as fixtures.
import type { KubeObject } from '../core/kube-object.ts';

export interface ExampleOptions {
  namespace?: string;
  labels?: Record<string, string>;
}

function metadata(name: string, options: ExampleOptions): KubeObject['metadata'] {
  const meta: KubeObject['metadata'] = { name };
  if (options.namespace !== undefined) meta.namespace = options.namespace;
  return meta;
}

/** A Deployment whose pod template has `podSpec`. */
export function deployment(
  name: string,
  podSpec: Record<string, unknown>,
  options: ExampleOptions = {},
): KubeObject {
  const labels = options.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(name, options),
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: podSpec },
    },
  };
}

/** A bare Pod. */
export function pod(
  name: string,
  podSpec: Record<string, unknown>,
  options: ExampleOptions = {},
): KubeObject {
  const meta = metadata(name, options);
  if (options.labels) meta.labels = options.labels;
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: podSpec };
}

/** A CronJob running `podSpec`. */
export function cronJob(
  name: string,
  podSpec: Record<string, unknown>,
  options: ExampleOptions = {},
): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: metadata(name, options),
    spec: {
      schedule: '0 * * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', ...podSpec } } } },
    },
  };
}

/** Any object of `kind`, with extra top-level fields. */
export function object(
  apiVersion: string,
  kind: string,
  name: string,
  fields: Record<string, unknown>,
  options: ExampleOptions = {},
): KubeObject {
  return { apiVersion, kind, metadata: metadata(name, options), ...fields };
}

// The image configuration (OCI image config / Docker image JSON), read defensively into what we use.
import { PalisadeError } from '../core/errors.ts';
import { isRecord } from '../core/kube-object.ts';
import { parseJsonObject } from './manifest.ts';

export interface HistoryEntry {
  createdBy: string;
  emptyLayer: boolean;
  comment?: string;
}

export interface ImageConfig {
  os: string;
  architecture: string;
  variant?: string;
  diffIds: string[];
  user: string;
  env: string[];
  exposedPorts: string[];
  /** Healthcheck test command; undefined when none is set, `['NONE']` when disabled. */
  healthcheck?: string[];
  labels: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
  history: HistoryEntry[];
  created?: string;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function parseImageConfig(raw: Buffer, where: string): ImageConfig {
  const json = parseJsonObject(raw, where, 'image config');
  const rootfs = isRecord(json.rootfs) ? json.rootfs : {};
  const diffIds = strings(rootfs.diff_ids);
  if (!Array.isArray(rootfs.diff_ids) || diffIds.length !== rootfs.diff_ids.length)
    throw new PalisadeError('input-unreadable', `${where}: image config has no valid rootfs.diff_ids`);
  const config = isRecord(json.config) ? json.config : {};
  const healthcheck = isRecord(config.Healthcheck) ? strings(config.Healthcheck.Test) : undefined;
  const labels: Record<string, string> = {};
  if (isRecord(config.Labels))
    for (const [key, value] of Object.entries(config.Labels))
      if (typeof value === 'string') labels[key] = value;
  const history: HistoryEntry[] = [];
  if (Array.isArray(json.history))
    for (const item of json.history) {
      if (!isRecord(item)) continue;
      const entry: HistoryEntry = {
        createdBy: typeof item.created_by === 'string' ? item.created_by : '',
        emptyLayer: item.empty_layer === true,
      };
      if (typeof item.comment === 'string') entry.comment = item.comment;
      history.push(entry);
    }
  const parsed: ImageConfig = {
    os: typeof json.os === 'string' ? json.os : '',
    architecture: typeof json.architecture === 'string' ? json.architecture : '',
    diffIds,
    user: typeof config.User === 'string' ? config.User : '',
    env: strings(config.Env),
    exposedPorts: isRecord(config.ExposedPorts) ? Object.keys(config.ExposedPorts) : [],
    labels,
    entrypoint: strings(config.Entrypoint),
    cmd: strings(config.Cmd),
    history,
  };
  if (typeof json.variant === 'string') parsed.variant = json.variant;
  if (healthcheck !== undefined && healthcheck.length > 0) parsed.healthcheck = healthcheck;
  if (typeof json.created === 'string') parsed.created = json.created;
  return parsed;
}

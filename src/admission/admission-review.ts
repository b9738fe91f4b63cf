// AdmissionReview requests (admission.k8s.io/v1, and the identical v1beta1 shape) parsed at the edge into a result:
// a malformed review is data (HTTP 400 with the reason), never an exception deep inside the decision.
import { isKubeObject, isRecord, type KubeObject } from '../core/kube-object.ts';

export const ADMISSION_API_VERSIONS = ['admission.k8s.io/v1', 'admission.k8s.io/v1beta1'] as const;
export type AdmissionApiVersion = (typeof ADMISSION_API_VERSIONS)[number];

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
const OPERATIONS: readonly string[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface AdmissionUserInfo {
  username: string;
  uid?: string;
  groups: readonly string[];
}

export interface AdmissionRequest {
  apiVersion: AdmissionApiVersion;
  uid: string;
  kind: GroupVersionKind;
  resource: GroupVersionResource;
  subResource?: string;
  name?: string;
  namespace?: string;
  operation: AdmissionOperation;
  userInfo: AdmissionUserInfo;
  /** The new object; absent on DELETE (and on CONNECT it is the options object, e.g. PodExecOptions). */
  object?: KubeObject;
  /** The existing object on UPDATE and DELETE. */
  oldObject?: KubeObject;
  /** On CONNECT, the options object (PodExecOptions, PodAttachOptions, PodPortForwardOptions): no metadata. */
  connectOptions?: Record<string, unknown>;
  dryRun: boolean;
}

export type ParsedReview = { ok: true; request: AdmissionRequest } | { ok: false; reason: string };

function gvk(value: unknown): GroupVersionKind | undefined {
  if (!isRecord(value)) return undefined;
  const { group, version, kind } = value;
  if (typeof group !== 'string' || typeof version !== 'string' || typeof kind !== 'string' || kind === '')
    return undefined;
  return { group, version, kind };
}

function gvr(value: unknown): GroupVersionResource | undefined {
  if (!isRecord(value)) return undefined;
  const { group, version, resource } = value;
  if (
    typeof group !== 'string' ||
    typeof version !== 'string' ||
    typeof resource !== 'string' ||
    resource === ''
  )
    return undefined;
  return { group, version, resource };
}

function userInfo(value: unknown): AdmissionUserInfo | undefined {
  if (value === undefined) return { username: '', groups: [] };
  if (!isRecord(value)) return undefined;
  const username = value.username ?? '';
  const groups = value.groups ?? [];
  if (typeof username !== 'string') return undefined;
  if (!Array.isArray(groups) || !groups.every((group) => typeof group === 'string')) return undefined;
  const info: AdmissionUserInfo = { username, groups };
  if (typeof value.uid === 'string') info.uid = value.uid;
  return info;
}

/** An embedded object: null and absent are the same; anything else must be a Kubernetes object. */
function embeddedObject(value: unknown, field: string): KubeObject | undefined | string {
  if (value === undefined || value === null) return undefined;
  if (!isKubeObject(value)) return `request.${field} is not a Kubernetes object (apiVersion, kind, metadata)`;
  return value;
}

/** Parses an already JSON-decoded body. Every check names the field that failed. */
export function parseAdmissionReview(body: unknown): ParsedReview {
  const fail = (reason: string): ParsedReview => ({ ok: false, reason });
  if (!isRecord(body)) return fail('body is not a JSON object');
  if (body.kind !== 'AdmissionReview')
    return fail(`kind must be AdmissionReview (got ${describe(body.kind)})`);
  const apiVersion = body.apiVersion;
  if (!ADMISSION_API_VERSIONS.includes(apiVersion as AdmissionApiVersion))
    return fail(
      `apiVersion must be one of ${ADMISSION_API_VERSIONS.join(', ')} (got ${describe(apiVersion)})`,
    );
  const request = body.request;
  if (!isRecord(request)) return fail('request is missing or not an object');
  if (typeof request.uid !== 'string' || request.uid === '') return fail('request.uid is missing');
  const kind = gvk(request.kind);
  if (!kind) return fail('request.kind must be {group, version, kind}');
  const resource = gvr(request.resource);
  if (!resource) return fail('request.resource must be {group, version, resource}');
  if (typeof request.operation !== 'string' || !OPERATIONS.includes(request.operation))
    return fail(
      `request.operation must be one of ${OPERATIONS.join(', ')} (got ${describe(request.operation)})`,
    );
  const operation = request.operation as AdmissionOperation;
  const user = userInfo(request.userInfo);
  if (!user) return fail('request.userInfo must have a string username and a list of string groups');
  for (const field of ['subResource', 'name', 'namespace'] as const)
    if (request[field] !== undefined && typeof request[field] !== 'string')
      return fail(`request.${field} must be a string`);
  if (request.dryRun !== undefined && typeof request.dryRun !== 'boolean')
    return fail('request.dryRun must be a boolean');
  if (operation === 'CONNECT') {
    const connect = connectRequest(request, apiVersion as AdmissionApiVersion, kind, resource, user);
    return { ok: true, request: connect };
  }
  const object = embeddedObject(request.object, 'object');
  if (typeof object === 'string') return fail(object);
  const oldObject = embeddedObject(request.oldObject, 'oldObject');
  if (typeof oldObject === 'string') return fail(oldObject);
  // The API server always sends the object on CREATE and both objects on UPDATE; without them there is nothing
  // to decide on, and allowing by default would let a crafted request through.
  if ((operation === 'CREATE' || operation === 'UPDATE') && object === undefined)
    return fail(`request.object is required for ${operation}`);
  if (operation === 'UPDATE' && oldObject === undefined)
    return fail('request.oldObject is required for UPDATE');

  const parsed: AdmissionRequest = {
    apiVersion: apiVersion as AdmissionApiVersion,
    uid: request.uid,
    kind,
    resource,
    operation,
    userInfo: user,
    dryRun: request.dryRun === true,
  };
  copyNames(request, parsed);
  if (object !== undefined) parsed.object = object;
  if (oldObject !== undefined) parsed.oldObject = oldObject;
  return { ok: true, request: parsed };
}

function connectRequest(
  request: Record<string, unknown>,
  apiVersion: AdmissionApiVersion,
  kind: GroupVersionKind,
  resource: GroupVersionResource,
  user: AdmissionUserInfo,
): AdmissionRequest {
  const parsed: AdmissionRequest = {
    apiVersion,
    uid: request.uid as string,
    kind,
    resource,
    operation: 'CONNECT',
    userInfo: user,
    dryRun: request.dryRun === true,
  };
  copyNames(request, parsed);
  if (isRecord(request.object)) parsed.connectOptions = request.object;
  return parsed;
}

function copyNames(request: Record<string, unknown>, parsed: AdmissionRequest): void {
  if (typeof request.subResource === 'string' && request.subResource !== '')
    parsed.subResource = request.subResource;
  if (typeof request.name === 'string' && request.name !== '') parsed.name = request.name;
  if (typeof request.namespace === 'string' && request.namespace !== '') parsed.namespace = request.namespace;
}

/**
 * What a wrong value is, never the value: the reason goes back to the API server (which shows it to users and logs
 * it) and to our log, and the body may hold anything, a token included.
 */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `another string (${value.length} characters)`;
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

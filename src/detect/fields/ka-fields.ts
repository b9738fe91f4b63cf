// The `ka.*` fields of Falco's k8saudit plugin, with the same names and meanings. Where the plugin's extraction
// has known defects (ka.uri.param never available; eff_run_as_user reading the wrong keys; a per-container value
// making the whole list unavailable when one container omits it) Palisade extracts what the documentation says.
import { isRecord } from '../../core/kube-object.ts';
import type { AuditEvent } from '../audit-event.ts';
import { jsonText } from '../field-value.ts';
import {
  type ContainerKind,
  effectiveIds,
  hostPaths,
  hostPorts,
  imageRepository,
  images,
  requestContainers,
  securityValues,
  volumes,
  volumeTypes,
} from './container-access.ts';
import type { FieldDefinition } from './field-definition.ts';
import { arrayAt, at, textAt, textList } from './json-access.ts';

function text(name: string, doc: string, ...keys: string[]): FieldDefinition {
  return {
    name,
    type: 'string',
    list: false,
    arg: 'none',
    doc,
    extract: ({ event }) => textAt(event, ...keys),
  };
}

function list(name: string, doc: string, extract: FieldDefinition['extract']): FieldDefinition {
  return { name, type: 'string', list: true, arg: 'index', doc, extract };
}

function containerFields(kind: ContainerKind, label: string): FieldDefinition[] {
  return [
    list(
      `ka.req.pod.${kind}.image`,
      `When the request object is a pod, the images of its ${label}.`,
      ({ event }, arg) => images(requestContainers(event, kind, arg)),
    ),
    list(
      `ka.req.pod.${kind}.image.repository`,
      `The repository part (no tag, no digest) of the images of the pod's ${label}.`,
      ({ event }, arg) => images(requestContainers(event, kind, arg))?.map(imageRepository),
    ),
    list(
      `ka.req.pod.${kind}.privileged`,
      `The \`privileged\` flag of the pod's ${label} that set it.`,
      ({ event }, arg) => securityValues(requestContainers(event, kind, arg), 'privileged'),
    ),
  ];
}

/**
 * The object a write leaves: for a patch, the response when it carries the result (a JSON patch is a list of
 * operations, a merge patch only the changed keys); else the request object, as Falco reads it.
 */
function writtenObject(event: AuditEvent): unknown {
  const response = event.responseObject;
  if (event.verb === 'patch' && isRecord(response) && response.kind !== 'Status') return response;
  return event.requestObject;
}

function rulesField(key: string): FieldDefinition['extract'] {
  return ({ event }, arg) => {
    const rules = arrayAt(writtenObject(event), arg, 'rules');
    if (rules === undefined) return undefined;
    return rules.flatMap((rule) => textList(at(rule, key)) ?? []);
  };
}

function containersSecurity(...keys: string[]): FieldDefinition['extract'] {
  return ({ event }, arg) => securityValues(requestContainers(event, 'containers', arg), ...keys);
}

export const KA_FIELDS: readonly FieldDefinition[] = [
  text('ka.auditid', 'The unique id of the audit event (auditID).', 'auditID'),
  text(
    'ka.stage',
    'Stage of the request (RequestReceived, ResponseStarted, ResponseComplete, Panic).',
    'stage',
  ),
  text(
    'ka.auth.decision',
    'The authorization decision (annotation authorization.k8s.io/decision).',
    'annotations',
    'authorization.k8s.io/decision',
  ),
  text(
    'ka.auth.reason',
    'The authorization reason (annotation authorization.k8s.io/reason).',
    'annotations',
    'authorization.k8s.io/reason',
  ),
  text('ka.user.name', 'The user name performing the request.', 'user', 'username'),
  list('ka.user.groups', 'The groups to which the user belongs.', ({ event }, arg) =>
    textList(arrayAt(event, arg, 'user', 'groups')),
  ),
  text('ka.impuser.name', 'The impersonated user name.', 'impersonatedUser', 'username'),
  text('ka.verb', 'The action being performed (get, list, create, patch, ...).', 'verb'),
  text('ka.uri', 'The request URI as sent from client to server.', 'requestURI'),
  {
    name: 'ka.uri.param',
    type: 'string',
    list: false,
    arg: 'required',
    doc: 'The first value of a query parameter of the URI (`ka.uri.param[command]`).',
    extract: ({ event }, arg) => {
      const uri = event.requestURI;
      if (typeof uri !== 'string' || arg === undefined) return undefined;
      const query = uri.indexOf('?');
      if (query < 0) return undefined;
      return new URLSearchParams(uri.slice(query + 1)).get(arg) ?? undefined;
    },
  },
  text('ka.target.name', 'The target object name.', 'objectRef', 'name'),
  text('ka.target.namespace', 'The target object namespace.', 'objectRef', 'namespace'),
  text('ka.target.resource', 'The target object resource (pods, secrets, ...).', 'objectRef', 'resource'),
  text(
    'ka.target.subresource',
    'The target object subresource (exec, attach, token, ...).',
    'objectRef',
    'subresource',
  ),
  {
    name: 'ka.req.binding.subjects',
    type: 'string',
    list: true,
    arg: 'none',
    doc: 'When the request object is a (cluster) role binding, its subjects; for a patch, those of the resulting binding when the event carries it.',
    extract: ({ event }) => textList(at(writtenObject(event), 'subjects')),
  },
  {
    name: 'ka.req.binding.role',
    type: 'string',
    list: false,
    arg: 'none',
    doc: 'When the request object is a (cluster) role binding, the role it binds; for a patch, that of the resulting binding when the event carries it.',
    extract: ({ event }) => textAt(writtenObject(event), 'roleRef', 'name'),
  },
  {
    name: 'ka.req.binding.subject.has_name',
    type: 'string',
    list: false,
    arg: 'required',
    doc: 'Deprecated in Falco; kept for old rules files. Always `true`, as the plugin returns.',
    extract: () => 'true',
  },
  text('ka.req.configmap.name', 'If the request object is a configmap, its name.', 'objectRef', 'name'),
  {
    name: 'ka.req.configmap.obj',
    type: 'string',
    list: false,
    arg: 'none',
    doc: "If the request object is a configmap, its data (as JSON text); not available for any other resource (a Secret's data never reaches this field).",
    extract: ({ event }) =>
      at(event, 'objectRef', 'resource') === 'configmaps'
        ? textAt(event, 'requestObject', 'data')
        : undefined,
  },
  ...containerFields('containers', 'containers'),
  ...containerFields('initContainers', 'init containers'),
  ...containerFields('ephemeralContainers', 'ephemeral containers'),
  {
    name: 'ka.req.container.image',
    type: 'string',
    list: false,
    arg: 'none',
    doc: 'Deprecated by ka.req.pod.containers.image: the image of the first container only.',
    extract: ({ event }) => images(requestContainers(event, 'containers', '0'))?.[0],
  },
  {
    name: 'ka.req.container.image.repository',
    type: 'string',
    list: false,
    arg: 'none',
    doc: 'Deprecated by ka.req.pod.containers.image.repository: the repository of the first container only.',
    extract: ({ event }) => {
      const image = images(requestContainers(event, 'containers', '0'))?.[0];
      return image === undefined ? undefined : imageRepository(image);
    },
  },
  text(
    'ka.req.pod.host_ipc',
    'When the request object is a pod, its hostIPC flag.',
    'requestObject',
    'spec',
    'hostIPC',
  ),
  text(
    'ka.req.pod.host_network',
    'When the request object is a pod, its hostNetwork flag.',
    'requestObject',
    'spec',
    'hostNetwork',
  ),
  text(
    'ka.req.container.host_network',
    'Deprecated alias for ka.req.pod.host_network.',
    'requestObject',
    'spec',
    'hostNetwork',
  ),
  text(
    'ka.req.pod.host_pid',
    'When the request object is a pod, its hostPID flag.',
    'requestObject',
    'spec',
    'hostPID',
  ),
  list(
    'ka.req.pod.containers.host_port',
    "The host ports of the pod's containers (container ports when no hostPort is set).",
    ({ event }, arg) => hostPorts(requestContainers(event, 'containers', arg)),
  ),
  {
    name: 'ka.req.container.privileged',
    type: 'string',
    list: false,
    arg: 'none',
    doc: 'Deprecated by ka.req.pod.containers.privileged: `true` when any container is privileged.',
    extract: ({ event }) => {
      const values = securityValues(requestContainers(event, 'containers', undefined), 'privileged');
      return values === undefined ? undefined : String(values.includes('true'));
    },
  },
  list(
    'ka.req.pod.containers.allow_privilege_escalation',
    'The allowPrivilegeEscalation flag of the containers that set it.',
    containersSecurity('allowPrivilegeEscalation'),
  ),
  list(
    'ka.req.pod.containers.read_only_fs',
    'The readOnlyRootFilesystem flag of the containers that set it.',
    containersSecurity('readOnlyRootFilesystem'),
  ),
  text(
    'ka.req.pod.run_as_user',
    'The runAsUser of the pod security context.',
    'requestObject',
    'spec',
    'securityContext',
    'runAsUser',
  ),
  list(
    'ka.req.pod.containers.run_as_user',
    'The runAsUser of the containers that set it.',
    containersSecurity('runAsUser'),
  ),
  list(
    'ka.req.pod.containers.eff_run_as_user',
    'The uid each container starts with: container, else pod security context, else 0.',
    ({ event }, arg) => effectiveIds(event, arg, 'runAsUser'),
  ),
  text(
    'ka.req.pod.run_as_group',
    'The runAsGroup of the pod security context.',
    'requestObject',
    'spec',
    'securityContext',
    'runAsGroup',
  ),
  list(
    'ka.req.pod.containers.run_as_group',
    'The runAsGroup of the containers that set it.',
    containersSecurity('runAsGroup'),
  ),
  list(
    'ka.req.pod.containers.eff_run_as_group',
    'The gid each container starts with: container, else pod security context, else 0.',
    ({ event }, arg) => effectiveIds(event, arg, 'runAsGroup'),
  ),
  list(
    'ka.req.pod.containers.proc_mount',
    'The procMount types of the containers that set one.',
    containersSecurity('procMount'),
  ),
  {
    name: 'ka.req.role.rules',
    type: 'string',
    list: true,
    arg: 'none',
    doc: 'When the request object is a (cluster) role, its rules (each as JSON text); for a patch, the rules of the resulting role when the event carries it.',
    extract: ({ event }) => textList(at(writtenObject(event), 'rules')),
  },
  list('ka.req.role.rules.apiGroups', "The API groups of the role's rules.", rulesField('apiGroups')),
  list(
    'ka.req.role.rules.nonResourceURLs',
    "The non-resource URLs of the role's rules.",
    rulesField('nonResourceURLs'),
  ),
  list('ka.req.role.rules.verbs', "The verbs of the role's rules.", rulesField('verbs')),
  list('ka.req.role.rules.resources', "The resources of the role's rules.", rulesField('resources')),
  text(
    'ka.req.pod.fs_group',
    'The fsGroup of the pod security context.',
    'requestObject',
    'spec',
    'securityContext',
    'fsGroup',
  ),
  {
    name: 'ka.req.pod.supplemental_groups',
    type: 'string',
    list: true,
    arg: 'none',
    doc: 'The supplementalGroups of the pod security context.',
    extract: ({ event }) =>
      textList(at(event, 'requestObject', 'spec', 'securityContext', 'supplementalGroups')),
  },
  list(
    'ka.req.pod.containers.add_capabilities',
    'The capabilities added by any container (flattened).',
    containersSecurity('capabilities', 'add'),
  ),
  {
    name: 'ka.req.service.type',
    type: 'string',
    list: false,
    arg: 'none',
    doc: 'When the request object is a service, its type; for a patch, the type of the resulting service when the event carries it.',
    extract: ({ event }) => textAt(writtenObject(event), 'spec', 'type'),
  },
  list(
    'ka.req.service.ports',
    "The service's ports (each as JSON text); for a patch, those of the resulting service when the event carries it.",
    ({ event }, arg) =>
      arrayAt(writtenObject(event), arg, 'spec', 'ports')?.map((port) => jsonText(port) ?? ''),
  ),
  list('ka.req.pod.volumes.hostpath', 'The hostPath paths of all volumes.', ({ event }, arg) =>
    hostPaths(volumes(event, arg)),
  ),
  {
    name: 'ka.req.volume.hostpath',
    type: 'string',
    list: false,
    arg: 'required',
    doc: 'Deprecated by ka.req.pod.volumes.hostpath: `true` when a volume uses the host path given (a trailing `*` matches a prefix).',
    extract: ({ event }, arg) => {
      const paths = hostPaths(volumes(event, undefined));
      if (paths === undefined || arg === undefined) return undefined;
      const prefix = arg.endsWith('*') ? arg.slice(0, -1) : undefined;
      return String(paths.some((path) => (prefix === undefined ? path === arg : path.startsWith(prefix))));
    },
  },
  list('ka.req.pod.volumes.flexvolume_driver', 'The flexVolume drivers of all volumes.', ({ event }, arg) =>
    volumes(event, arg)?.flatMap((volume) => {
      const driver = at(volume, 'flexVolume', 'driver');
      return typeof driver === 'string' ? [driver] : [];
    }),
  ),
  list(
    'ka.req.pod.volumes.volume_type',
    'The volume types (hostPath, secret, ...) of all volumes.',
    ({ event }, arg) => volumeTypes(volumes(event, arg)),
  ),
  text('ka.resp.name', 'The response object name.', 'responseObject', 'metadata', 'name'),
  text('ka.response.code', 'The response code.', 'responseStatus', 'code'),
  text(
    'ka.response.reason',
    'The response reason (usually present only for failures).',
    'responseStatus',
    'reason',
  ),
  text('ka.useragent', 'The user agent of the client that made the request.', 'userAgent'),
  list('ka.sourceips', 'The source IPs of the request (sourceIPs), client first.', ({ event }, arg) =>
    textList(arrayAt(event, arg, 'sourceIPs')),
  ),
];

// The risky powers RBAC can grant, each recognised in a list of rules with the rules that give it. Shared by the
// rules (one per power), the escalation-path search and the commands, so that all say the same thing.
import {
  ALL,
  apiGroupMatches,
  namedObjects,
  type PolicyRule,
  resourceMatches,
  unnamedPart,
  verbMatches,
} from './policy-rule.ts';

export type PowerId =
  | 'cluster-admin'
  | 'wildcard'
  | 'escalate-bind-impersonate'
  | 'read-secrets'
  | 'pod-exec'
  | 'node-proxy'
  | 'create-workloads'
  | 'create-token'
  | 'approve-csr'
  | 'write-webhooks'
  | 'create-persistent-volumes';

/** A power found in a list of rules: which rules give it and what exactly they allow. */
export interface PowerMatch {
  power: PowerId;
  ruleIndexes: number[];
  /** `get, list secrets`: what the rules allow, for messages. */
  what: string;
  /** Set when every matching rule is limited to named objects (`resourceNames`). */
  onlyNamed?: readonly string[];
}

export interface PowerDefinition {
  id: PowerId;
  /** Reads after "can": "read Secrets". */
  title: string;
  /** `cluster`: only a ClusterRoleBinding grants it (cluster-scoped resources); `namespaced`: any binding. */
  scope: 'namespaced' | 'cluster';
  /**
   * `namespaceOnly`: the rules are granted in one namespace (a Role, or a RoleBinding), so their cluster-scoped
   * parts grant nothing and must not count.
   */
  match(rules: readonly PolicyRule[], namespaceOnly?: boolean): PowerMatch | undefined;
  /**
   * The power needs permissions that may sit in different rules, so two roles bound to one subject can give it
   * together (RBAC adds grants up). Only cluster-scoped powers are combined, from ClusterRoleBindings.
   */
  combinesRoles?: true;
}

export interface Target {
  group: string;
  resource: string;
  subresource?: string;
}

const WORKLOAD_TARGETS: readonly Target[] = [
  { group: '', resource: 'pods' },
  { group: '', resource: 'replicationcontrollers' },
  ...['deployments', 'replicasets', 'statefulsets', 'daemonsets'].flatMap((resource) => [
    { group: 'apps', resource },
    { group: 'extensions', resource },
  ]),
  { group: 'batch', resource: 'jobs' },
  { group: 'batch', resource: 'cronjobs' },
];

/** Kinds that run pods from a template (created, they run it as the ServiceAccount it names). */
export const POD_CONTROLLER_TARGETS: readonly Target[] = WORKLOAD_TARGETS.filter(
  (target) => target.resource !== 'pods',
);

/**
 * Kinds whose pod template an `update`/`patch` can point at another ServiceAccount. Not Jobs: their template is
 * immutable after creation (only a suspended Job's scheduling directives may change), so changing one runs nothing new.
 */
export const RETEMPLATE_TARGETS: readonly Target[] = POD_CONTROLLER_TARGETS.filter(
  (target) => !(target.group === 'batch' && target.resource === 'jobs'),
);

function label(target: Target): string {
  return target.subresource ? `${target.resource}/${target.subresource}` : target.resource;
}

/** Verb/target pairs one rule allows (ignoring resourceNames), written `verb resource`. */
export function ruleAllowsAny(
  rule: PolicyRule,
  verbs: readonly string[],
  targets: readonly Target[],
): string[] {
  if (rule.nonResourceURLs.length > 0 && rule.resources.length === 0) return [];
  const out: string[] = [];
  for (let index = 0; index < targets.length; index++) {
    const target = targets[index] as Target;
    if (
      !apiGroupMatches(rule, target.group) ||
      !resourceMatches(rule, target.resource, target.subresource ?? '')
    )
      continue;
    for (let at = 0; at < verbs.length; at++) {
      const verb = verbs[at] as string;
      if (verbMatches(rule, verb)) out.push(`${verb} ${label(target)}`);
    }
  }
  return out;
}

/**
 * Whether a `create` limited by resourceNames can create anything. A plain create (POST) of an object carries no
 * name, so resourceNames never match it; only a server-side apply (PATCH of an object that does not exist) creates a
 * named object, and the API server authorizes that as `patch` of the name before `create` of it.
 */
function namedCreatePossible(rules: readonly PolicyRule[], named: PolicyRule, target: Target): boolean {
  return rules.some(
    (rule) =>
      ruleAllowsAny(rule, ['patch'], [target]).length > 0 &&
      (rule.resourceNames.length === 0 ||
        rule.resourceNames.some((name) => named.resourceNames.includes(name))),
  );
}

/** A power given by any single rule that allows one of the verbs on one of the targets. */
function singleRulePower(
  id: PowerId,
  title: string,
  scope: PowerDefinition['scope'],
  verbs: readonly string[],
  targets: readonly Target[],
): PowerDefinition {
  return {
    id,
    title,
    scope,
    match: (rules) => {
      const indexes: number[] = [];
      const allowed = new Set<string>();
      const names = new Set<string>();
      let unrestricted = false;
      rules.forEach((rule, index) => {
        // Most rules give most powers nothing: one pass over every target says so before the per-target work.
        if (ruleAllowsAny(rule, verbs, targets).length === 0) return;
        const part = unnamedPart(rule);
        const unnamedPairs = part === undefined ? [] : ruleAllowsAny(part, verbs, targets);
        // A subresource's create (POST pods/NAME/exec, serviceaccounts/NAME/token) names its object in the URL:
        // resourceNames limit it to those objects, and it works on them.
        const pairs = targets.flatMap((target) =>
          ruleAllowsAny(rule, verbs, [target]).filter(
            (pair) =>
              !(pair.startsWith('create ') && rule.resourceNames.length > 0) ||
              target.subresource !== undefined ||
              unnamedPairs.includes(pair) ||
              namedCreatePossible(rules, rule, target),
          ),
        );
        if (pairs.length === 0) return;
        indexes.push(index);
        for (const pair of pairs) allowed.add(pair);
        if (unnamedPairs.length > 0) unrestricted = true;
        for (const name of namedObjects(rule)) names.add(name);
      });
      if (indexes.length === 0) return undefined;
      const match: PowerMatch = { power: id, ruleIndexes: indexes, what: summarize([...allowed]) };
      if (!unrestricted) match.onlyNamed = [...names].sort();
      return match;
    },
  };
}

/** `get, list, watch secrets; create pods, deployments` instead of one pair each. */
function summarize(pairs: readonly string[]): string {
  const verbsByTarget = new Map<string, string[]>();
  for (const pair of pairs) {
    const [verb, target] = pair.split(' ') as [string, string];
    const verbs = verbsByTarget.get(target);
    if (verbs) verbs.push(verb);
    else verbsByTarget.set(target, [verb]);
  }
  const targetsByVerbs = new Map<string, string[]>();
  for (const [target, verbs] of verbsByTarget) {
    const key = verbs.join(', ');
    const targets = targetsByVerbs.get(key);
    if (targets) targets.push(target);
    else targetsByVerbs.set(key, [target]);
  }
  return [...targetsByVerbs].map(([verbs, targets]) => `${verbs} ${targets.join(', ')}`).join('; ');
}

/** Full control: every verb on every resource of every group, not limited to named objects. */
export function isFullWildcard(rule: PolicyRule): boolean {
  return (
    rule.verbs.includes(ALL) &&
    rule.apiGroups.includes(ALL) &&
    rule.resources.includes(ALL) &&
    rule.resourceNames.length === 0
  );
}

const clusterAdmin: PowerDefinition = {
  id: 'cluster-admin',
  title: 'do anything (cluster-admin equivalent)',
  scope: 'namespaced',
  match: (rules) => {
    const indexes = rules.flatMap((rule, index) => (isFullWildcard(rule) ? [index] : []));
    return indexes.length === 0
      ? undefined
      : { power: 'cluster-admin', ruleIndexes: indexes, what: '* on * in every API group' };
  },
};

const wildcard: PowerDefinition = {
  id: 'wildcard',
  title: 'use wildcard permissions',
  scope: 'namespaced',
  match: (rules) => {
    const indexes: number[] = [];
    const parts = new Set<string>();
    rules.forEach((rule, index) => {
      const fields = [
        rule.verbs.includes(ALL) ? 'verbs' : '',
        rule.resources.includes(ALL) ? 'resources' : '',
        rule.apiGroups.includes(ALL) ? 'apiGroups' : '',
      ].filter((field) => field !== '');
      if (fields.length === 0) return;
      indexes.push(index);
      for (const field of fields) parts.add(field);
    });
    return indexes.length === 0
      ? undefined
      : { power: 'wildcard', ruleIndexes: indexes, what: `"*" in ${[...parts].join(', ')}` };
  },
};

const RBAC = 'rbac.authorization.k8s.io';
const escalateBindImpersonate: PowerDefinition = {
  id: 'escalate-bind-impersonate',
  title: 'escalate privileges (escalate, bind or impersonate)',
  scope: 'namespaced',
  match: (rules, namespaceOnly = false) => {
    const roleTargets = [
      { group: RBAC, resource: 'roles' },
      { group: RBAC, resource: 'clusterroles' },
    ];
    // In one namespace: escalate on ClusterRoles and impersonation of users, groups, uids and extras are
    // cluster-scoped, so only ClusterRoleBindings grant them; bind of a ClusterRole is asked in the namespace.
    const escalateTargets = namespaceOnly ? roleTargets.slice(0, 1) : roleTargets;
    const impersonationTargets = namespaceOnly
      ? [{ group: '', resource: 'serviceaccounts' }]
      : [
          { group: '', resource: 'users' },
          { group: '', resource: 'groups' },
          { group: '', resource: 'serviceaccounts' },
          { group: 'authentication.k8s.io', resource: 'userextras', subresource: ALL },
          { group: 'authentication.k8s.io', resource: 'uids' },
        ];
    const indexes: number[] = [];
    const allowed = new Set<string>();
    // These verbs always name their object: resourceNames limit them to those roles or identities.
    const names = new Set<string>();
    let unrestricted = false;
    rules.forEach((rule, index) => {
      const pairs = [
        ...ruleAllowsAny(rule, ['escalate'], escalateTargets),
        ...ruleAllowsAny(rule, ['bind'], roleTargets),
        ...ruleAllowsAny(rule, ['impersonate'], impersonationTargets),
      ];
      if (pairs.length === 0) return;
      indexes.push(index);
      for (const pair of pairs) allowed.add(pair);
      if (rule.resourceNames.length === 0) unrestricted = true;
      for (const name of namedObjects(rule)) names.add(name);
    });
    if (indexes.length === 0) return undefined;
    const match: PowerMatch = {
      power: 'escalate-bind-impersonate',
      ruleIndexes: indexes,
      what: summarize([...allowed]),
    };
    if (!unrestricted) match.onlyNamed = [...names].sort();
    return match;
  },
};

const CSR_GROUP = 'certificates.k8s.io';
const approveCsr: PowerDefinition = {
  id: 'approve-csr',
  title: 'approve certificate signing requests',
  scope: 'cluster',
  combinesRoles: true,
  match: (rules) => {
    const approval = rules.flatMap((rule, index) =>
      ruleAllowsAny(
        rule,
        ['update', 'patch'],
        [{ group: CSR_GROUP, resource: 'certificatesigningrequests', subresource: 'approval' }],
      ).length > 0
        ? [index]
        : [],
    );
    const signers = rules.flatMap((rule, index) =>
      ruleAllowsAny(rule, ['approve'], [{ group: CSR_GROUP, resource: 'signers' }]).length > 0 ? [index] : [],
    );
    if (approval.length === 0 || signers.length === 0) return undefined;
    const creates = rules.flatMap((rule, index) =>
      ruleAllowsAny(rule, ['create'], [{ group: CSR_GROUP, resource: 'certificatesigningrequests' }]).length >
      0
        ? [index]
        : [],
    );
    const names = [...new Set(signers.flatMap((index) => rules[index]?.resourceNames ?? []))];
    const signerText = signers.some((index) => rules[index]?.resourceNames.length === 0)
      ? 'any signer'
      : `signers ${names.join(', ')}`;
    return {
      power: 'approve-csr',
      ruleIndexes: [...new Set([...approval, ...signers, ...creates])].sort((a, b) => a - b),
      what: `update certificatesigningrequests/approval and approve ${signerText}${creates.length > 0 ? ', and create certificatesigningrequests' : ''}`,
    };
  },
};

/** Every power, in the order findings and answers list them. */
export const POWERS: readonly PowerDefinition[] = [
  clusterAdmin,
  wildcard,
  escalateBindImpersonate,
  singleRulePower(
    'read-secrets',
    'read Secrets',
    'namespaced',
    ['get', 'list', 'watch'],
    [{ group: '', resource: 'secrets' }],
  ),
  podExec(),
  singleRulePower(
    'node-proxy',
    'reach the kubelet API through nodes/proxy',
    'cluster',
    ['get', 'create', 'update', 'patch', 'delete'],
    [{ group: '', resource: 'nodes', subresource: 'proxy' }],
  ),
  workloadPower(),
  singleRulePower(
    'create-token',
    'create ServiceAccount tokens',
    'namespaced',
    ['create'],
    [{ group: '', resource: 'serviceaccounts', subresource: 'token' }],
  ),
  approveCsr,
  singleRulePower(
    'write-webhooks',
    'change admission webhook configurations',
    'cluster',
    ['create', 'update', 'patch', 'delete', 'deletecollection'],
    [
      { group: 'admissionregistration.k8s.io', resource: 'validatingwebhookconfigurations' },
      { group: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations' },
    ],
  ),
  singleRulePower(
    'create-persistent-volumes',
    'create PersistentVolumes (and mount any host path)',
    'cluster',
    ['create'],
    [{ group: '', resource: 'persistentvolumes' }],
  ),
];

/** Creating pods or controllers, or changing a controller's pod template, runs code as a ServiceAccount of choice. */
function workloadPower(): PowerDefinition {
  const create = singleRulePower(
    'create-workloads',
    'create or change workloads (and so run pods as any ServiceAccount of the namespace)',
    'namespaced',
    ['create'],
    WORKLOAD_TARGETS,
  );
  const change = singleRulePower(
    'create-workloads',
    '',
    'namespaced',
    ['update', 'patch'],
    RETEMPLATE_TARGETS,
  );
  return { ...create, match: (rules) => merge(create.match(rules), change.match(rules)) };
}

function merge(first: PowerMatch | undefined, second: PowerMatch | undefined): PowerMatch | undefined {
  if (!first) return second;
  if (!second) return first;
  const match: PowerMatch = {
    power: first.power,
    ruleIndexes: [...new Set([...first.ruleIndexes, ...second.ruleIndexes])].sort((a, b) => a - b),
    what: `${first.what}; ${second.what}`,
  };
  if (first.onlyNamed && second.onlyNamed)
    match.onlyNamed = [...new Set([...first.onlyNamed, ...second.onlyNamed])];
  return match;
}

function podExec(): PowerDefinition {
  const exec = singleRulePower(
    'pod-exec',
    'run commands in, attach to or port-forward into running containers, or replace their images',
    'namespaced',
    ['create', 'get'],
    ['exec', 'attach', 'portforward'].map((subresource) => ({ group: '', resource: 'pods', subresource })),
  );
  const ephemeral = singleRulePower(
    'pod-exec',
    '',
    'namespaced',
    ['update', 'patch'],
    [{ group: '', resource: 'pods', subresource: 'ephemeralcontainers' }],
  );
  // A pod update may change containers' images, and the kubelet restarts them with the new one: code of choice in
  // a running pod, with its token and volumes.
  const reimage = singleRulePower(
    'pod-exec',
    '',
    'namespaced',
    ['update', 'patch'],
    [{ group: '', resource: 'pods' }],
  );
  return {
    ...exec,
    match: (rules) => merge(merge(exec.match(rules), ephemeral.match(rules)), reimage.match(rules)),
  };
}

export function findPower(id: PowerId): PowerDefinition {
  const power = POWERS.find((candidate) => candidate.id === id);
  if (!power) throw new Error(`unknown power ${id}`);
  return power;
}

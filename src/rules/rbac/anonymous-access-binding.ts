import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { formatBinding } from '../../rbac/binding-records.ts';
import { describeRule } from '../../rbac/policy-rule.ts';
import { describeRole } from '../../rbac/power-violations.ts';
import { grantsOnlyPublicInfo } from '../../rbac/public-info.ts';
import { RbacIndex } from '../../rbac/rbac-index.ts';
import { ANONYMOUS, formatSubject, type Subject, UNAUTHENTICATED } from '../../rbac/subject.ts';
import { clusterRoleBinding, group, user } from './rbac-examples.ts';

/** Rules shown in a message before the rest are counted. */
const RULES_SHOWN = 3;

function isAnonymous(subject: Subject): boolean {
  return (
    (subject.kind === 'User' && subject.name === ANONYMOUS) ||
    (subject.kind === 'Group' && subject.name === UNAUTHENTICATED)
  );
}

export default defineRule({
  id: 'anonymous-access-binding',
  title: 'Role bound to anonymous requests (system:anonymous, system:unauthenticated)',
  severity: 'high',
  domain: 'rbac',
  kinds: ['RoleBinding', 'ClusterRoleBinding'],
  phase: 'deploy',
  layer: 'cluster',
  frameworks: {
    'nsa-cisa': ['rbac', 'authentication-authorization'],
    'mitre-attack': ['T1078.001'],
  },
  description:
    'A request without credentials is the user `system:anonymous` in the group `system:unauthenticated`, as long as the API server runs with anonymous authentication on (its default). ' +
    'A binding to either grants its role to anyone who can reach the API server, with no identity to audit or revoke; with anonymous authentication off it is inert until someone turns it back on. ' +
    'Not reported: bindings whose role only reads what the API server serves to everyone by design: the health and version endpoints (`system:public-info-viewer`), OpenID discovery (`/.well-known/openid-configuration`, `/openid/v1/jwks`), and `get` of the `cluster-info` ConfigMap in kube-public, which `kubeadm join` reads before it has credentials. ' +
    'A binding to a role that is not found is reported: whatever that role is given later is open to anonymous requests. A roleRef the API server refuses grants nothing and is left to `binding-missing-reference`.',
  remediation:
    'Remove the anonymous subject from the binding and bind the role to the identities that need it; where the API server need serve no anonymous request, also run it with `--anonymous-auth=false` (or limit anonymous requests to the health endpoints with an AuthenticationConfiguration).',
  references: [
    'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles',
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
  ],
  examples: {
    pass: [
      clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
        group('system:authenticated'),
        group('system:unauthenticated'),
      ]),
      clusterRoleBinding('oidc-discovery', 'system:service-account-issuer-discovery', [
        group('system:unauthenticated'),
      ]),
    ],
    fail: [
      clusterRoleBinding('anonymous-view', 'view', [user('system:anonymous')]),
      // API discovery was open to anonymous requests before Kubernetes 1.14; old guides put it back.
      clusterRoleBinding('legacy-discovery', 'system:discovery', [group('system:unauthenticated')]),
    ],
  },
  check: (object, context) => {
    const index = RbacIndex.of(context.inventory);
    const binding = index.bindingOfObject(object);
    if (!binding?.subjects.some((subject) => subject && isAnonymous(subject))) return [];
    const resolution = index.roleOf(binding);
    // A roleRef the API server refuses grants nothing; binding-missing-reference says so.
    if (!resolution.ok && resolution.problem.type === 'invalid') return [];
    if (resolution.ok && grantsOnlyPublicInfo(resolution.role.rules, binding)) return [];
    let granted: string;
    if (!resolution.ok)
      granted = `${binding.roleRef.kind} ${binding.roleRef.name} (not found: whatever it is given later)`;
    else {
      const rules = resolution.role.rules;
      const shown = rules.slice(0, RULES_SHOWN).map(describeRule).join('; ');
      const more = rules.length > RULES_SHOWN ? `; and ${rules.length - RULES_SHOWN} more rules` : '';
      granted = `${describeRole(resolution.role)}: ${rules.length === 0 ? 'no rules yet' : shown + more}`;
    }
    const out: Violation[] = [];
    binding.subjects.forEach((subject, position) => {
      if (!subject || !isAnonymous(subject)) return;
      out.push({
        message: `${formatSubject(subject)} (every request without credentials) is granted ${granted}, by ${formatBinding(binding)}`,
        path: ['subjects', position],
      });
    });
    return out;
  },
});

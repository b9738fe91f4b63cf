import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inventory } from '../core/inventory.ts';
import { applyPatch } from '../core/json-patch.ts';
import type { KubeObject } from '../core/kube-object.ts';
import { parsePssVersion } from '../core/pss-version.ts';
import type { Rule } from '../core/rule.ts';
import { builtinRules, findRule } from '../rules/index.ts';
import { mutateObject } from './mutation.ts';

const rules = [
  'seccomp-profile-required',
  'privilege-escalation',
  'capabilities-drop-all',
  'service-account-token-automounted',
].map((id) => findRule(id) as Rule);
const pssVersion = parsePssVersion('latest');

function pod(container: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'n' },
    spec: { containers: [{ name: 'app', image: 'r.example/app:1', ...container }] },
  };
}

describe('mutateObject', () => {
  it('leaves seccomp alone when a legacy seccomp annotation chose the profile (the API server refuses a mismatch)', () => {
    for (const key of [
      'seccomp.security.alpha.kubernetes.io/pod',
      'container.seccomp.security.alpha.kubernetes.io/app',
    ]) {
      const original = pod({});
      original.metadata.annotations = { [key]: 'localhost/profiles/audit.json' };
      const result = mutateObject(original, { rules, pssVersion, overrideExplicit: false });
      assert.ok(
        result.patch.every((operation) => !operation.path.includes('seccompProfile')),
        JSON.stringify(result.patch),
      );
      assert.equal(
        result.steps.find((step) => step.ruleId === 'seccomp-profile-required')?.outcome,
        'no-fix',
      );
    }
  });

  it('applies every fix on a plain pod; the patched pod passes each rule and a second pass patches nothing', () => {
    const original = pod({});
    const result = mutateObject(original, { rules, pssVersion, overrideExplicit: false });
    const patched = applyPatch(original, result.patch);
    for (const rule of rules)
      if (rule.id !== 'service-account-token-automounted')
        assert.deepEqual(
          rule.check(patched, { inventory: Inventory.of([patched]), pssVersion }),
          [],
          rule.id,
        );
    // The fixes of privilege-escalation and capabilities-drop-all both create the container securityContext:
    // computed together on the original, the second would clobber the first.
    const context = (patched.spec as { containers: { securityContext: Record<string, unknown> }[] })
      .containers[0]?.securityContext;
    assert.deepEqual(context, { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    assert.deepEqual(mutateObject(patched, { rules, pssVersion, overrideExplicit: false }).patch, []);
  });

  it('fills null fields (an empty `securityContext:` as Helm renders it): the API server reads null as unset', () => {
    const original = pod({ securityContext: null });
    (original.spec as Record<string, unknown>).securityContext = null;
    const result = mutateObject(original, { rules, pssVersion, overrideExplicit: false });
    const patched = applyPatch(original, result.patch);
    for (const id of ['seccomp-profile-required', 'privilege-escalation', 'capabilities-drop-all'])
      assert.deepEqual(
        findRule(id)?.check(patched, { inventory: Inventory.of([patched]), pssVersion }),
        [],
        `${id}: ${JSON.stringify(result.steps)}`,
      );
    assert.deepEqual(mutateObject(patched, { rules, pssVersion, overrideExplicit: false }).patch, []);
    // A null inside a value the user set is still theirs to decide: only null itself is unset.
    const explicit = pod({ securityContext: { allowPrivilegeEscalation: true, capabilities: null } });
    const kept = mutateObject(explicit, { rules, pssVersion, overrideExplicit: false });
    assert.ok(kept.patch.every((operation) => !operation.path.endsWith('allowPrivilegeEscalation')));
  });

  it('sets automountServiceAccountToken on pod templates only: a Pod is left to the rule, with or without the volume', () => {
    const bare = pod({});
    const tokenRule = findRule('service-account-token-automounted') as Rule;
    const context = { inventory: Inventory.of([bare]), pssVersion };
    // Still reported, not patched: in a cluster the ServiceAccount plugin has injected the volume by now.
    assert.equal(tokenRule.check(bare, context).length, 1);
    assert.deepEqual(tokenRule.fix?.(bare, context), []);
    const template: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'n' },
      spec: { template: { spec: bare.spec } },
    };
    assert.deepEqual(tokenRule.fix?.(template, { inventory: Inventory.of([template]), pssVersion }), [
      { op: 'add', path: '/spec/template/spec/automountServiceAccountToken', value: false },
    ]);
  });

  it('leaves a Pod whose token volume the ServiceAccount plugin already injected: the flag would not unmount it', () => {
    // What a Pod looks like when it reaches a webhook: the plugin ran first and added the projected token volume.
    const injected: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'n' },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'r.example/app:1',
            volumeMounts: [
              {
                name: 'kube-api-access-9qgcs',
                readOnly: true,
                mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
              },
            ],
          },
        ],
        volumes: [
          {
            name: 'kube-api-access-9qgcs',
            projected: {
              sources: [
                { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
                { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              ],
            },
          },
        ],
      },
    };
    const tokenRule = findRule('service-account-token-automounted') as Rule;
    const result = mutateObject(injected, { rules, pssVersion, overrideExplicit: false });
    assert.ok(!result.patch.some((operation) => operation.path.endsWith('automountServiceAccountToken')));
    assert.equal(result.steps.find((step) => step.ruleId === tokenRule.id)?.outcome, 'no-fix');
    // Set by hand (or by another webhook) after the injection, the flag does not hide the mounted token.
    const flagged = structuredClone(injected);
    (flagged.spec as Record<string, unknown>).automountServiceAccountToken = false;
    const violations = tokenRule.check(flagged, { inventory: Inventory.of([flagged]), pssVersion });
    assert.match(violations[0]?.message ?? '', /volume "kube-api-access-9qgcs" mounts an API token/);
    // A token projected for another audience (Vault, a mesh) is not an API token.
    const vault = structuredClone(flagged);
    const volume = (vault.spec as { volumes: { projected: { sources: Record<string, unknown>[] } }[] })
      .volumes[0]!;
    volume.projected.sources[0] = { serviceAccountToken: { audience: 'vault', path: 'token' } };
    assert.deepEqual(tokenRule.check(vault, { inventory: Inventory.of([vault]), pssVersion }), []);
  });

  it('never changes a value the user set explicitly, unless configured to', () => {
    const original = pod({ securityContext: { allowPrivilegeEscalation: true } });
    const kept = mutateObject(original, { rules, pssVersion, overrideExplicit: false });
    assert.ok(!kept.patch.some((operation) => operation.path.endsWith('allowPrivilegeEscalation')));
    assert.equal(
      kept.steps.find((step) => step.ruleId === 'privilege-escalation')?.outcome,
      'would-override',
    );
    const overridden = mutateObject(original, { rules, pssVersion, overrideExplicit: true });
    assert.ok(
      overridden.patch.some(
        (operation) =>
          operation.op === 'replace' &&
          operation.path === '/spec/containers/0/securityContext/allowPrivilegeEscalation',
      ),
    );
  });

  it("one container's explicit value leaves that value alone, not the other containers' defaults", () => {
    const original: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'n' },
      spec: {
        containers: [
          { name: 'app', image: 'r.example/app:1' },
          {
            name: 'sidecar',
            image: 'r.example/sidecar:1',
            securityContext: { allowPrivilegeEscalation: true, capabilities: { drop: ['NET_RAW'] } },
          },
        ],
      },
    };
    const result = mutateObject(original, { rules, pssVersion, overrideExplicit: false });
    const patched = applyPatch(original, result.patch);
    const [app, sidecar] = (patched.spec as { containers: { securityContext?: unknown }[] }).containers;
    assert.deepEqual(app?.securityContext, {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    assert.deepEqual(sidecar?.securityContext, {
      allowPrivilegeEscalation: true,
      capabilities: { drop: ['NET_RAW'] },
    });
    assert.deepEqual(
      result.steps.find((step) => step.ruleId === 'privilege-escalation'),
      {
        ruleId: 'privilege-escalation',
        outcome: 'applied',
        detail: 'left /spec/containers/1/securityContext/allowPrivilegeEscalation as set explicitly',
      },
    );
    assert.equal(result.steps.find((step) => step.ruleId === 'capabilities-drop-all')?.outcome, 'applied');
    assert.deepEqual(mutateObject(patched, { rules, pssVersion, overrideExplicit: false }).patch, []);
  });

  it('leaves a drop list the user wrote (dropping more could break the app), unless told to override', () => {
    const original = pod({ securityContext: { capabilities: { drop: ['NET_RAW'] } } });
    const kept = mutateObject(original, { rules, pssVersion, overrideExplicit: false });
    assert.ok(!kept.patch.some((operation) => operation.path.includes('/capabilities/drop')));
    assert.deepEqual(
      kept.steps.find((step) => step.ruleId === 'capabilities-drop-all'),
      {
        ruleId: 'capabilities-drop-all',
        outcome: 'would-override',
        detail: 'would change /spec/containers/0/securityContext/capabilities/drop/1, set explicitly',
      },
    );
    // Told to override, ALL is appended; the user's own entry stays.
    const overridden = mutateObject(original, { rules, pssVersion, overrideExplicit: true });
    assert.ok(
      overridden.patch.some(
        (operation) =>
          operation.op === 'add' &&
          operation.path === '/spec/containers/0/securityContext/capabilities/drop/1',
      ),
    );
    // A list of objects grows by items of their own: adding a container's securityContext is not an override.
    const fresh = mutateObject(pod({}), { rules, pssVersion, overrideExplicit: false });
    assert.equal(fresh.steps.find((step) => step.ruleId === 'capabilities-drop-all')?.outcome, 'applied');
  });

  it('reports a rule without a fix instead of failing', () => {
    const readOnlyRoot = findRule('writable-root-filesystem') as Rule;
    const result = mutateObject(pod({}), { rules: [readOnlyRoot], pssVersion, overrideExplicit: false });
    assert.deepEqual(result.patch, []);
    assert.equal(result.steps[0]?.outcome, 'no-fix');
  });

  it('with run-as-non-root listed, a plain pod passes every restricted rule', () => {
    const restricted = builtinRules.filter(
      (rule) => rule.frameworks['pss-restricted'] || rule.frameworks['pss-baseline'],
    );
    const withNonRoot = [...rules, findRule('run-as-non-root') as Rule];
    const original = pod({});
    const patched = applyPatch(
      original,
      mutateObject(original, { rules: withNonRoot, pssVersion, overrideExplicit: false }).patch,
    );
    assert.equal((patched.spec as { securityContext?: unknown }).securityContext !== undefined, true);
    for (const rule of restricted)
      assert.deepEqual(rule.check(patched, { inventory: Inventory.of([patched]), pssVersion }), [], rule.id);
  });

  it('leaves an explicit root user to validation rather than make a pod that cannot start', () => {
    const runAsNonRoot = findRule('run-as-non-root') as Rule;
    const result = mutateObject(pod({ securityContext: { runAsUser: 0 } }), {
      rules: [runAsNonRoot],
      pssVersion,
      overrideExplicit: true,
    });
    assert.deepEqual(result.patch, []);
    assert.equal(result.steps[0]?.outcome, 'no-fix');
    const windowsAdmin = pod({
      securityContext: { windowsOptions: { runAsUserName: 'ContainerAdministrator' } },
    });
    assert.deepEqual(
      mutateObject(windowsAdmin, { rules: [runAsNonRoot], pssVersion, overrideExplicit: true }).patch,
      [],
    );
  });
});

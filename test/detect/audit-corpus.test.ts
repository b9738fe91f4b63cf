// Acceptance on real kube-apiserver audit events: each labelled action raises its detection, the normal
// actions raise nothing above notice, and the webhook batches give the same alerts as the log.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Alert } from '../../src/detect/alert.ts';
import { eventsFromValue, parseAuditText } from '../../src/detect/audit-event.ts';
import { loadBuiltinRuleset } from '../../src/detect/builtin/builtin-ruleset.ts';
import { DetectionEngine } from '../../src/detect/engine.ts';
import { atLeast, parsePriority } from '../../src/detect/priority.ts';
import { DetectionState } from '../../src/detect/state/detection-state.ts';
import { loadManifestText } from '../../src/inputs/manifest-loader.ts';
import { sharedPath, skipWithoutShared } from '../shared-corpus.ts';

const skip = skipWithoutShared('corpus', 'audit', 'audit.log');

const EXPECTED: Record<string, string[]> = {
  A01: ['Privileged Pod Created'],
  A02: ['Sensitive HostPath Mounted'],
  A03: ['Host Namespace Pod Created', 'Dangerous Capabilities Added'],
  A04: ['Container Runtime Socket Mounted'],
  A05: ['Pod Denied By Pod Security Admission'],
  A06: [
    'Privileged Pod Created',
    'Pod Created In Kube Namespace By User',
    'Host Namespace Pod Created',
    'Sensitive HostPath Mounted',
  ],
  A07: ['Pod Security Enforcement Weakened'],
  A08: ['Exec Into Pod', 'Exec Into Privileged Or Host-Mounting Pod'],
  A09: ['Exec Into Pod'],
  A10: ['Exec Into Pod', 'Exec Into Privileged Or Host-Mounting Pod'],
  A11: [],
  A12: ['Port-Forward To Pod'],
  A13: ['Pod Denied By Pod Security Admission', 'Ephemeral Container Added'],
  A14: ['Ephemeral Container Added', 'Privileged Pod Created'],
  A15: ['Cluster-Wide Secret Listing'],
  A16: ['Secret Read By User'],
  A17: ['Forbidden Secret Access'],
  A18: ['Forbidden Secret Access'],
  A19: ['Permission Enumeration'],
  A20: ['Forbidden Request'],
  A21: ['Anonymous Request Denied'],
  A22: ['Anonymous Health Probe Allowed'],
  A23: ['Authentication Failure'],
  A24: ['Binding To Powerful Role Created'],
  A25: ['Wildcard Role Created'],
  A26: ['Binding To Powerful Role Created'],
  A27: ['Secret Reader Role Created', 'Binding To Powerful Role Created'],
  A28: ['ServiceAccount Token Requested By User'],
  A29: ['ServiceAccount Token Used Outside A Pod', 'Cluster-Wide Secret Listing'],
  A30: ['Impersonation Of Privileged Group', 'User Impersonation'],
  A31: ['User Impersonation'],
  A32: ['CSR Approved By Its Requester'],
  A33: ['NodePort Service Created'],
  A34: ['LoadBalancer Service Created'],
  A35: ['ConfigMap With Credentials'],
  A36: ['Events Deleted'],
  A37: ['Events Deleted'],
  A38: ['Admission Webhook Created Or Changed'],
  A39: ['Admission Webhook Deleted'],
  A40: ['Pod Force-Deleted'],
};

interface Action {
  id: string;
  label: string;
  events: { auditID: string }[];
}

function readActions(): Action[] {
  return readFileSync(sharedPath('corpus', 'audit', 'actions.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Action);
}

function alertsByAuditId(alerts: readonly Alert[]): Map<string, Alert[]> {
  const map = new Map<string, Alert[]>();
  for (const alert of alerts) {
    const id = String(alert.output_fields['ka.auditid']);
    map.set(id, [...(map.get(id) ?? []), alert]);
  }
  return map;
}

function runLog(state?: DetectionState): Alert[] {
  const engine = new DetectionEngine({
    rulesets: [loadBuiltinRuleset().ruleset],
    ...(state ? { state } : {}),
  });
  const parsed = parseAuditText(
    readFileSync(sharedPath('corpus', 'audit', 'audit.log'), 'utf8'),
    'audit.log',
  );
  assert.equal(parsed.issues.length, 0);
  assert.equal(parsed.events.length, 2461);
  return parsed.events.flatMap((event) => engine.process(event));
}

describe('built-in detections on the real audit corpus', { skip }, () => {
  const actions = skip ? [] : readActions();
  const alerts = skip ? new Map<string, Alert[]>() : alertsByAuditId(runLog());

  it('has 47 labelled actions, 7 of them normal', () => {
    assert.equal(actions.length, 47);
    assert.equal(actions.filter((action) => action.id.startsWith('N')).length, 7);
  });

  for (const action of actions) {
    it(`${action.id} ${action.label}`, () => {
      const raised = action.events.flatMap((event) => alerts.get(event.auditID) ?? []);
      const rules = new Set(raised.map((alert) => alert.rule));
      const expected = action.id.startsWith('N') ? [] : EXPECTED[action.id];
      assert.ok(expected !== undefined, `no expectation for ${action.id}`);
      for (const rule of expected)
        assert.ok(rules.has(rule), `${action.id} should raise '${rule}', raised: ${[...rules].join(', ')}`);
      if (expected.length === 0) {
        const loud = raised.filter((alert) => atLeast(parsePriority(alert.priority)!, 'warning'));
        assert.deepEqual(
          loud.map((alert) => alert.rule),
          [],
          `${action.id} raised alerts above notice`,
        );
      }
    });
  }

  it('with a cluster snapshot, a token for the cluster-admin ServiceAccount is critical (A28)', () => {
    const state = new DetectionState();
    for (const file of ['20-apps.yaml', '21-insecure.yaml']) {
      const path = sharedPath('cluster-recordings', 'populate', file);
      for (const entry of loadManifestText(readFileSync(path, 'utf8'), file).entries)
        state.learnObject(entry.object);
    }
    const byId = alertsByAuditId(runLog(state));
    const a28 = actions.find((action) => action.id === 'A28')!;
    const rules = a28.events.flatMap((event) => byId.get(event.auditID) ?? []).map((alert) => alert.rule);
    assert.ok(rules.includes('Token Requested For Powerful ServiceAccount'), rules.join(', '));
    assert.ok(!rules.includes('ServiceAccount Token Requested By User'));
  });

  it('the webhook batches (EventList without per-item kind) give the same alerts as the log for the same events', () => {
    const engine = new DetectionEngine({ rulesets: [loadBuiltinRuleset().ruleset] });
    const fromWebhook: Alert[] = [];
    let batches = 0;
    for (const line of readFileSync(sharedPath('corpus', 'audit', 'webhook-batches.jsonl'), 'utf8')
      .trim()
      .split('\n')) {
      const post = JSON.parse(line) as { body: unknown };
      const parsed = eventsFromValue(post.body, 'webhook', ++batches);
      assert.deepEqual(parsed.issues, []);
      for (const event of parsed.events) fromWebhook.push(...engine.process(event));
    }
    assert.equal(batches, 80);
    assert.equal(engine.stats.events, 2433);
    const key = (alert: Alert) => `${alert.output_fields['ka.auditid']} ${alert.rule}`;
    const webhookKeys = new Set(fromWebhook.map(key));
    const logKeys = new Set(runLog().map(key));
    assert.deepEqual(
      [...webhookKeys].filter((k) => !logKeys.has(k)),
      [],
    );
    // The only events missing from the webhook are system:apiserver requests in the last 3 ms.
    assert.deepEqual(
      [...logKeys].filter((k) => !webhookKeys.has(k)),
      [],
    );
  });
});

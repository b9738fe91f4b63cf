// `palisade watch` end to end, in-process: stdin and file inputs, --fail-on, rate limiting, outputs, the
// ledger, the HTTPS receiver with a clean shutdown, `watch setup`, `watch validate` and `watch fields`.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Alert } from '../../src/detect/alert.ts';
import { issueCertificate } from '../../src/server/x509-certificate.ts';
import { runPalisade, startPalisade } from '../cli/cli-harness.ts';
import { auditEvent, podCreate } from './fixtures/events.ts';

const PRIVILEGED = podCreate({
  containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }],
});
const EXEC = auditEvent({
  stage: 'ResponseStarted',
  requestURI: '/api/v1/namespaces/default/pods/web/exec?command=sh',
  objectRef: { resource: 'pods', namespace: 'default', name: 'web', subresource: 'exec' },
  responseStatus: { code: 101 },
});
const EVENTS = `${JSON.stringify(PRIVILEGED)}\n${JSON.stringify(EXEC)}\n${JSON.stringify(EXEC)}\n`;

async function withDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'palisade-watch-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function alertsOf(stdout: string): Alert[] {
  return stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Alert);
}

describe('palisade watch', () => {
  it('reads events from stdin and prints Falco-shaped alerts; a repeated delivery is dropped', async () => {
    const run = await runPalisade(['watch', '--stdin', '--log-level', 'warn'], { stdin: EVENTS });
    assert.equal(run.code, 0, run.stderr);
    const alerts = alertsOf(run.stdout);
    assert.deepEqual(alerts.map((alert) => alert.rule).sort(), [
      'Exec Into Pod',
      'Exec Into Privileged Or Host-Mounting Pod',
      'Privileged Pod Created',
    ]);
    for (const alert of alerts)
      assert.deepEqual(Object.keys(alert).sort(), [
        'hostname',
        'output',
        'output_fields',
        'priority',
        'rule',
        'source',
        'tags',
        'time',
      ]);
  });

  it('refuses plain http:// webhook and Slack outputs unless --insecure-sink is given, never echoing the URL', async () => {
    const secretPath = '/services/T000/B000/XXXXSECRETXXXX';
    for (const kind of ['webhook', 'slack']) {
      const refused = await runPalisade(
        ['watch', '--stdin', '-o', `${kind}:http://127.0.0.1:9${secretPath}`, '--log-level', 'error'],
        { stdin: '' },
      );
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /--insecure-sink/);
      assert.ok(!refused.stderr.includes(secretPath), refused.stderr);
    }
    const allowed = await runPalisade(
      [
        'watch',
        '--stdin',
        '--insecure-sink',
        '-o',
        `webhook:http://127.0.0.1:9${secretPath}`,
        '--log-level',
        'error',
      ],
      { stdin: '' },
    );
    assert.equal(allowed.code, 0, allowed.stderr);
  });

  it('exits 1 with --fail-on when an alert reaches it, and --min-priority filters', async () => {
    const failing = await runPalisade(['watch', '-', '--fail-on', 'critical', '--log-level', 'error'], {
      stdin: EVENTS,
    });
    assert.equal(failing.code, 1);
    const quiet = await runPalisade(['watch', '-', '--min-priority', 'critical', '--log-level', 'error'], {
      stdin: EVENTS,
    });
    assert.deepEqual(
      alertsOf(quiet.stdout).map((alert) => alert.rule),
      ['Exec Into Privileged Or Host-Mounting Pod'],
    );
  });

  it('--min-priority leaves lower rules out of first-match, as Falco never enables them', async () => {
    await withDir(async (dir) => {
      const rules = join(dir, 'rules.yaml');
      const rule = (name: string, priority: string) =>
        `- rule: ${name}\n  desc: d\n  condition: ka.target.subresource = exec\n  output: ${name}\n  priority: ${priority}\n  source: k8s_audit\n`;
      await writeFile(rules, `${rule('Low First', 'DEBUG')}${rule('High Second', 'CRITICAL')}`);
      const run = (...extra: string[]) =>
        runPalisade(
          ['watch', '--stdin', '--no-builtin', '--rules', rules, '--log-level', 'error', ...extra],
          {
            stdin: EVENTS,
          },
        );
      assert.deepEqual(
        alertsOf((await run()).stdout).map((alert) => alert.rule),
        ['Low First'],
      );
      assert.deepEqual(
        alertsOf((await run('--min-priority', 'warning')).stdout).map((alert) => alert.rule),
        ['High Second'],
      );
    });
  });

  it('runs Falco rules files next to the built-ins, or alone', async () => {
    await withDir(async (dir) => {
      const rules = join(dir, 'rules.yaml');
      await writeFile(
        rules,
        '- rule: Any Exec\n  desc: d\n  condition: ka.target.subresource = exec\n  output: exec by %ka.user.name\n  priority: NOTICE\n  source: k8s_audit\n',
      );
      const run = await runPalisade(
        ['watch', '--stdin', '--no-builtin', '--rules', rules, '--log-level', 'error'],
        { stdin: EVENTS },
      );
      assert.deepEqual(
        alertsOf(run.stdout).map((alert) => alert.output),
        ['10:00:00.123456000: Notice exec by alice'],
      );
    });
  });

  it('refuses invalid rules files with file and line, and bad options as usage errors', async () => {
    await withDir(async (dir) => {
      const rules = join(dir, 'bad.yaml');
      await writeFile(
        rules,
        '- rule: X\n  desc: d\n  condition: ka.verb = get and\n  output: o\n  priority: INFO\n  source: k8s_audit\n',
      );
      const run = await runPalisade(['watch', '--stdin', '--rules', rules], { stdin: '' });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /bad\.yaml:3:1: error: rule 'X': unexpected end of condition/);
      const validate = await runPalisade(['watch', 'validate', rules]);
      assert.equal(validate.code, 2);
      assert.match(validate.stdout, /bad\.yaml:3/);
      // A rule name with a terminal escape is quoted in the problem, never passed to the terminal raw.
      const escaping = join(dir, 'escape.yaml');
      await writeFile(
        escaping,
        '- rule: "bad\\x1b[2Jrule"\n  desc: d\n  condition: ka.verb = get and nosuchfield.x = 1\n  output: o\n  priority: INFO\n  source: k8s_audit\n',
      );
      const escaped = await runPalisade(['watch', 'validate', escaping]);
      assert.equal(escaped.code, 2);
      assert.match(escaped.stdout, /rule 'bad\\x1b\[2Jrule': unknown field/);
      assert.ok(!escaped.stdout.includes('\u001b'), escaped.stdout);
    });
    assert.equal((await runPalisade(['watch'])).code, 2);
    assert.equal((await runPalisade(['watch', '--stdin', '--min-priority', 'loud'])).code, 2);
    assert.equal((await runPalisade(['watch', '--listen', ':8443'])).code, 2);
    // Losing accepted batches on a crash is never a default: the receiver needs a spool or an explicit --no-spool.
    const undecided = await runPalisade([
      'watch',
      '--listen',
      '127.0.0.1:0',
      '--tls-cert',
      'tls.crt',
      '--tls-key',
      'tls.key',
      '--token-file',
      'token',
    ]);
    assert.equal(undecided.code, 2);
    assert.match(undecided.stderr, /--listen needs --spool PATH .* or --no-spool/);
    assert.equal((await runPalisade(['watch', '--stdin', '-o', 'carrier-pigeon'])).code, 2);
    // An empty token file is named as such (it was "needs --token-file", although one was given).
    await withDir(async (dir) => {
      assert.equal((await runPalisade(['webhook', 'certs', '--out', dir, '--san', '127.0.0.1'])).code, 0);
      await writeFile(join(dir, 'token'), '\n\n');
      const empty = await runPalisade(
        [
          'watch',
          '--listen',
          '127.0.0.1:0',
          '--tls-cert',
          'tls.crt',
          '--tls-key',
          'tls.key',
          '--token-file',
          'token',
          '--no-spool',
        ],
        { cwd: dir },
      );
      assert.equal(empty.code, 2, empty.stderr);
      assert.match(empty.stderr, /--token-file token holds no token \(one per line\)/);
    });
  });

  it('follows a file once (--once) and writes alerts to a file output', async () => {
    await withDir(async (dir) => {
      const log = join(dir, 'audit.log');
      await writeFile(log, EVENTS);
      const out = join(dir, 'alerts.jsonl');
      const run = await runPalisade([
        'watch',
        '--file',
        log,
        '--once',
        '--state-file',
        join(dir, 'offset.json'),
        '-o',
        `file:${out}`,
        '--log-level',
        'error',
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(alertsOf(await readFile(out, 'utf8')).length, 3);
      // Restarted with the same state file: nothing is read twice.
      const again = await runPalisade([
        'watch',
        '--file',
        log,
        '--once',
        '--state-file',
        join(dir, 'offset.json'),
        '--log-level',
        'error',
      ]);
      assert.equal(again.stdout, '');
    });
  });

  it('--file says what it could not read: a missing file, a directory, an unterminated last line, a torn state file, bad lines past the first 20', async () => {
    await withDir(async (dir) => {
      const missing = await runPalisade(['watch', '--file', join(dir, 'nope.log'), '--once']);
      assert.equal(missing.code, 3, missing.stderr);
      assert.match(missing.stderr, /audit log .*nope\.log does not exist/);
      const directory = await runPalisade(['watch', '--file', dir, '--once']);
      assert.equal(directory.code, 3, directory.stderr);
      assert.match(directory.stderr, /is not a regular file/);
      assert.doesNotMatch(directory.stderr, /internal error|\n\s+at /);

      const log = join(dir, 'audit.log');
      const bad = Array.from({ length: 30 }, (_, index) => `bad line ${index}`).join('\n');
      await writeFile(log, `${bad}\n${EVENTS}${JSON.stringify(EXEC)}`);
      const state = join(dir, 'offset.json');
      await writeFile(state, 'garbage{');
      const run = await runPalisade(['watch', '--file', log, '--once', '--state-file', state]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(alertsOf(run.stdout).length, 3);
      assert.match(run.stderr, /state file .*offset\.json holds no saved position/);
      assert.equal(run.stderr.match(/"input skipped"/g)?.length, 21);
      // bad line 20 is line 21 and starts at byte 230: the first line not named is where the count starts.
      assert.match(
        run.stderr,
        /"origin":"[^"]*audit\.log line 21 \(byte 230\)","line":21,.*10 more input line\(s\) or item\(s\) of this batch skipped/,
      );
      assert.match(run.stderr, /end without a newline; not read/);
    });
  });

  it('appends every alert to the ledger, which then verifies', async () => {
    await withDir(async (dir) => {
      const keygen = await runPalisade(['ledger', 'keygen', '--out', join(dir, 'k')]);
      assert.equal(keygen.code, 0, keygen.stderr);
      const ledgerDir = join(dir, 'ledger');
      const run = await runPalisade(
        [
          'watch',
          '--stdin',
          '--ledger',
          ledgerDir,
          '--ledger-key',
          join(dir, 'k.key'),
          '--log-level',
          'error',
        ],
        { stdin: EVENTS },
      );
      assert.equal(run.code, 0, run.stderr);
      const verify = await runPalisade(['ledger', 'verify', ledgerDir, '--key', join(dir, 'k.vkey')]);
      assert.equal(verify.code, 0, verify.stdout + verify.stderr);
      assert.match(verify.stdout, /3 entr/);
    });
  });

  async function startReceiver(dir: string, extra: readonly string[] = [], listen = '127.0.0.1:0') {
    const controller = new AbortController();
    const args = [
      'watch',
      '--listen',
      listen,
      '--tls-cert',
      'tls.crt',
      '--tls-key',
      'tls.key',
      '--token-file',
      'token',
      ...extra,
    ];
    const running = startPalisade(args, { cwd: dir, signal: controller.signal });
    let port: number;
    try {
      port = Number((await running.waitFor('stderr', /"port":(\d+)/))[1]);
      assert.ok(port > 0, running.stderr);
    } catch (error) {
      // A receiver that never said where it listens is still stopped, so that the test run ends.
      controller.abort();
      await running.done;
      throw error;
    }
    return {
      port,
      async stop() {
        controller.abort();
        return running.done;
      },
    };
  }

  async function writeServingFiles(dir: string) {
    const now = Date.now();
    const ca = issueCertificate({
      subject: { commonName: 'ca' },
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 3_600_000),
      isCa: true,
    });
    const leaf = issueCertificate(
      {
        subject: { commonName: 'receiver' },
        notBefore: new Date(now - 60_000),
        notAfter: new Date(now + 3_600_000),
        altNames: ['127.0.0.1'],
        isCa: false,
      },
      ca,
    );
    await writeFile(join(dir, 'tls.crt'), leaf.certificatePem);
    await writeFile(join(dir, 'tls.key'), leaf.privateKeyPem);
    await writeFile(join(dir, 'token'), 'sekret-token\n');
    return ca.certificatePem;
  }

  function postBatch(port: number, caPem: string, items: unknown[]): Promise<number> {
    const body = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items });
    return new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/audit',
          method: 'POST',
          ca: caPem,
          headers: { authorization: 'Bearer sekret-token', 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('serves the HTTPS receiver until aborted, then processes what it accepted and stops cleanly', async () => {
    await withDir(async (dir) => {
      const caPem = await writeServingFiles(dir);
      const receiver = await startReceiver(dir, ['--no-spool']);
      assert.equal(await postBatch(receiver.port, caPem, [PRIVILEGED, EXEC]), 200);
      const { code, stdout, stderr } = await receiver.stop();
      assert.equal(code, 0);
      assert.equal(alertsOf(stdout).length, 3);
      assert.ok(!stderr.includes('sekret-token'));
    });
  });

  it('--listen :PORT answers on IPv6 and IPv4, like webhook serve without --host', async (t) => {
    const ipv6 = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(0, '::1', () => probe.close(() => resolve(true)));
    });
    if (!ipv6) return t.skip('no IPv6 loopback here');
    await withDir(async (dir) => {
      const caPem = await writeServingFiles(dir);
      const receiver = await startReceiver(dir, ['--no-spool'], ':0');
      // Stopped whatever the answers, so that a refused address fails the test instead of leaving it running.
      const statuses: Record<string, number | string> = {};
      for (const host of ['::1', '127.0.0.1']) {
        const status = await new Promise<number>((resolve, reject) =>
          request(
            // The test certificate names 127.0.0.1 only: the address is what is checked here, not the name.
            { host, port: receiver.port, path: '/healthz', ca: caPem, checkServerIdentity: () => undefined },
            (response) => {
              response.resume();
              resolve(response.statusCode ?? 0);
            },
          )
            .on('error', reject)
            .end(),
        ).catch((error: Error) => error.message);
        statuses[host] = status;
      }
      assert.equal((await receiver.stop()).code, 0);
      assert.deepEqual(statuses, { '::1': 200, '127.0.0.1': 200 });
    });
  });

  it('with --spool, accepted batches are on disk first: what a crash left unprocessed is processed at the next start, once', async () => {
    await withDir(async (dir) => {
      const caPem = await writeServingFiles(dir);
      // What a crashed receiver left behind: accepted (spooled) but never processed.
      await writeFile(join(dir, 'spool.jsonl'), `${JSON.stringify(PRIVILEGED)}\n`);
      const first = await startReceiver(dir, ['--spool', 'spool.jsonl']);
      assert.equal(await postBatch(first.port, caPem, [EXEC]), 200);
      const run1 = await first.stop();
      assert.equal(run1.code, 0, run1.stderr);
      assert.deepEqual(
        alertsOf(run1.stdout)
          .map((alert) => alert.rule)
          .sort(),
        ['Exec Into Pod', 'Exec Into Privileged Or Host-Mounting Pod', 'Privileged Pod Created'],
      );
      const second = await startReceiver(dir, ['--spool', 'spool.jsonl']);
      const run2 = await second.stop();
      assert.equal(run2.stdout, '', 'nothing is processed twice');
    });
  });

  it('setup prints the webhook kubeconfig, the audit policy and flags, referencing the token by path', async () => {
    await withDir(async (dir) => {
      const now = Date.now();
      const ca = issueCertificate({
        subject: { commonName: 'ca' },
        notBefore: new Date(now),
        notAfter: new Date(now + 3_600_000),
        isCa: true,
      });
      await writeFile(join(dir, 'ca.crt'), ca.certificatePem);
      const run = await runPalisade([
        'watch',
        'setup',
        '--url',
        'https://palisade.example:8443/audit',
        '--ca-file',
        join(dir, 'ca.crt'),
        '--token-file',
        '/etc/kubernetes/palisade/token',
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(
        run.stdout,
        /--audit-webhook-config-file=\/etc\/kubernetes\/palisade\/audit-webhook\.kubeconfig/,
      );
      assert.match(run.stdout, /server: https:\/\/palisade\.example:8443\/audit/);
      assert.match(run.stdout, /tokenFile: \/etc\/kubernetes\/palisade\/token/);
      assert.match(
        run.stdout,
        new RegExp(`certificate-authority-data: ${Buffer.from(ca.certificatePem).toString('base64')}`),
      );
      assert.match(run.stdout, /kind: Policy[\s\S]*omitStages/);
      assert.equal(
        (
          await runPalisade([
            'watch',
            'setup',
            '--url',
            'http://insecure/audit',
            '--ca-file',
            join(dir, 'ca.crt'),
            '--token-file',
            't',
          ])
        ).code,
        2,
      );
    });
  });

  it('fields lists every field with its description', async () => {
    const run = await runPalisade(['watch', 'fields']);
    assert.match(run.stdout, /^ka\.user\.name\t/m);
    assert.match(run.stdout, /^jevt\.value\[\.\.\.\]\t/m);
  });
});

// `palisade netpol` end to end, in-process, on the fixture application under test/fixtures/netpol/shop.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runPalisade } from '../cli/cli-harness.ts';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'netpol');
const SHOP = join(fixtures, 'shop');

/** The pod shop/web and a NetworkPolicy whose lines (from `metadata:` on) are given. */
function shopWebWithPolicy(policy: string[]): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: web, namespace: shop, labels: {app: web}}',
    'spec: {containers: [{name: m, image: nginx}]}',
    '---',
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    ...policy,
  ].join('\n');
}

describe('palisade netpol can-reach', () => {
  it('explains an allowed connection with the rules on both sides', async () => {
    const run = await runPalisade(['netpol', 'can-reach', 'Deployment/shop/web', 'shop/api', SHOP]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^REACHABLE \(allowed: TCP 9090\)$/m);
    assert.match(run.stdout, /allowed by NetworkPolicy\/shop\/web egress\[0\]\.to\[0\]: TCP 9090/);
    assert.match(run.stdout, /allowed by NetworkPolicy\/shop\/api ingress\[0\]\.from\[0\]: TCP 9090/);
  });

  it('explains a denial and honours --expect', async () => {
    const run = await runPalisade([
      'netpol',
      'can-reach',
      'shop/web',
      'StatefulSet/shop/db',
      SHOP,
      '--port',
      '5432/tcp',
      '--expect',
      'reachable',
    ]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /NOT REACHABLE on 5432\/TCP/);
    assert.match(run.stdout, /Egress of Deployment\/shop\/web: denied: all 3 policies/);
    assert.match(
      run.stdout,
      /not by NetworkPolicy\/shop\/db ingress\[0\]: from\[0\]: podSelector app=api does not match Deployment\/shop\/web \(app=web, tier=front\)/,
    );
    assert.match(run.stderr, /expected reachable/);
    const ok = await runPalisade([
      'netpol',
      'can-reach',
      'shop/web',
      'sts/shop/db',
      SHOP,
      '--expect',
      'unreachable',
    ]);
    assert.equal(ok.code, 0);
  });

  it('a named --port resolves on the destination', async () => {
    const run = await runPalisade([
      'netpol',
      'can-reach',
      'ops/prometheus',
      'shop/api',
      SHOP,
      '--port',
      'metrics',
      '--format',
      'json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const answer = JSON.parse(run.stdout);
    assert.equal(answer.reachable, true);
    assert.equal(answer.port, 'metrics/TCP');
    assert.deepEqual(answer.answers[0].allowedPorts, { TCP: ['9100'] });
    assert.equal(answer.answers[0].egress.isolated, false);
    assert.equal(answer.answers[0].ingress.grants[0].policy, 'NetworkPolicy/shop/allow-scrape');
  });

  it('answers for outside addresses piece by piece', async () => {
    const run = await runPalisade(['netpol', 'can-reach', '203.0.113.7', 'shop/web', SHOP, '-f', 'json']);
    const answer = JSON.parse(run.stdout);
    assert.equal(answer.answers.length, 1);
    assert.equal(answer.answers[0].addresses, '203.0.113.7');
    assert.equal(answer.answers[0].allowed, 'TCP 8080');
    assert.equal(answer.answers[0].egress, undefined);
  });

  it('usage errors name what is wrong', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['netpol', 'can-reach', 'shop/nope', 'shop/web', SHOP],
        /no pod or workload "nope" in namespace "shop"; known in namespace "shop": Deployment\/shop\/web/,
      ],
      [['netpol', 'can-reach', 'shop/web', SHOP], /no input|needs FROM and TO/],
      [['netpol', 'can-reach', '10.0.0.0/8', '10.1.0.0/16', SHOP], /at least one side/],
      [['netpol', 'can-reach', 'shop/web', 'shop/db', SHOP, '--port', '99999'], /1-65535/],
      [
        ['netpol', 'can-reach', 'shop/web', 'shop/db', SHOP, '--port', 'nope'],
        /has no container port of that name/,
      ],
      [['netpol', 'can-reach', 'Secret/shop/x', 'shop/db', SHOP], /not a pod-bearing kind/],
      [['netpol', 'matrix', SHOP, '--port', '80'], /belong to can-reach/],
      [['netpol', 'matrix', SHOP, '--namespace', 'nope'], /no pods or workloads there/],
      [['netpol', 'bogus'], /unknown subcommand/],
      [['netpol', 'matrix', SHOP, '--format', 'sarif'], /unknown format/],
      [['netpol', 'matrix'], /no input/],
    ];
    for (const [args, message] of cases) {
      const run = await runPalisade(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
    }
  });

  it('--host-network pod applies policies to host-network pods', async () => {
    const node = await runPalisade([
      'netpol',
      'can-reach',
      'ops/prometheus',
      'ds/ops/node-exporter',
      SHOP,
      '-f',
      'json',
    ]);
    assert.equal(JSON.parse(node.stdout).answers[0].ingress.isolated, false);
    const pod = await runPalisade([
      'netpol',
      'can-reach',
      'ops/prometheus',
      'ds/ops/node-exporter',
      SHOP,
      '-f',
      'json',
      '--host-network',
      'pod',
    ]);
    assert.equal(JSON.parse(pod.stdout).answers[0].ingress.isolated, true);
    assert.equal(JSON.parse(pod.stdout).reachable, false);
    const bad = await runPalisade(['netpol', 'matrix', SHOP, '--host-network', 'maybe']);
    assert.equal(bad.code, 2);
  });

  it('--help prints the usage', async () => {
    const run = await runPalisade(['netpol', '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /palisade netpol can-reach FROM TO/);
  });
});

describe('palisade netpol matrix', () => {
  it('prints the namespace matrix with the outside', async () => {
    const run = await runPalisade(['netpol', 'matrix', SHOP]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.match(lines[0] ?? '', /^from \\ to\s+ops\s+payments\s+shop\s+\(outside\)$/);
    assert.match(run.stdout, /^shop\s+none\s+none\s+2\/9 TCP 5432,9090\s+none$/m);
    assert.match(run.stdout, /^\(outside\)\s+1\/2\s+all\s+1\/3 TCP 8080$/m);
  });

  it('JSON cells carry counts and connections; --namespace narrows', async () => {
    const run = await runPalisade(['netpol', 'matrix', SHOP, '-n', 'shop', '-n', 'ops', '--format', 'json']);
    const matrix = JSON.parse(run.stdout);
    assert.deepEqual(matrix.namespaces, ['ops', 'shop']);
    const cell = matrix.cells.find((c: { from: string; to: string }) => c.from === 'ops' && c.to === 'shop');
    assert.deepEqual(
      { pairs: cell.pairs, reachable: cell.reachable, verdict: cell.verdict, connections: cell.connections },
      { pairs: 6, reachable: 3, verdict: 'partial', connections: { TCP: ['8080', '9100'] } },
    );
  });
});

describe('palisade netpol exposure', () => {
  it('lists every path from outside with what NetworkPolicy makes of it', async () => {
    const run = await runPalisade(['netpol', 'exposure', SHOP]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /Deployment\/shop\/web: Ingress\n {2}outside\n {2}→ Ingress\/shop\/web: class nginx, host shop\.example\.com path \/ \(Prefix\)\n {2}→ Service\/shop\/web: TCP port 80 → targetPort http\n {2}→ Deployment\/shop\/web: TCP 8080/,
    );
    assert.match(run.stdout, /NetworkPolicy: open: 0\.0\.0\.0\/0 \(TCP 8080\)/);
    assert.match(
      run.stdout,
      /→ Gateway\/infra\/public: class envoy, listener https HTTPS 443 \*\.example\.com/,
    );
    assert.doesNotMatch(run.stdout, /HTTPRoute\/infra\/payments/);
    assert.match(run.stdout, /7 exposure paths to 4 workloads\./);
  });

  it('a namespace without pods or workloads is a usage error, for exposure as for the matrix; repeats count once', async () => {
    for (const subcommand of ['exposure', 'matrix']) {
      const run = await runPalisade(['netpol', subcommand, SHOP, '-n', 'payments', '-n', 'nope']);
      assert.equal(run.code, 2, subcommand);
      assert.match(run.stderr, /--namespace nope: no pods or workloads there \(known: .*payments/);
    }
    const matrix = await runPalisade([
      'netpol',
      'matrix',
      SHOP,
      '-n',
      'payments',
      '-n',
      'payments',
      '-f',
      'json',
    ]);
    assert.equal(matrix.code, 0, matrix.stderr);
    assert.deepEqual(JSON.parse(matrix.stdout).namespaces, ['payments']);
  });

  it('JSON, narrowed to a namespace', async () => {
    const run = await runPalisade(['netpol', 'exposure', SHOP, '-n', 'payments', '-f', 'json']);
    const { exposures } = JSON.parse(run.stdout);
    assert.deepEqual(
      exposures.map((e: { kind: string }) => e.kind),
      ['load-balancer', 'node-port'],
    );
    assert.deepEqual(exposures[0].notes, ['loadBalancerSourceRanges limits clients to 203.0.113.0/24']);
  });
});

describe('inputs', () => {
  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const run = await runPalisade(['netpol', 'matrix', SHOP], { signal: controller.signal });
    assert.equal(run.code, 3);
    assert.match(run.stderr, /interrupted/);
    assert.equal(run.stdout, '');
  });

  it('stops when the signal is aborted while the matrix is being computed', async () => {
    // 3,000 workloads of distinct labels, each with its own policy: 9 million pairs of pod classes, seconds of
    // synchronous work that once kept Ctrl-C waiting until the whole answer was printed (with exit 0). The abort
    // comes after loading (about 0.25 s here) and long before the matrix would end (about 2.4 s here).
    const documents: string[] = [];
    for (let index = 0; index < 3000; index++) {
      const namespace = `team-${index % 20}`;
      documents.push(
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w${index}, namespace: ${namespace}}\n` +
          `spec:\n  selector: {matchLabels: {app: w${index}}}\n  template:\n    metadata: {labels: {app: w${index}}}\n` +
          '    spec: {containers: [{name: c, image: x}]}',
        `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p${index}, namespace: ${namespace}}\n` +
          `spec: {podSelector: {matchLabels: {app: w${index}}}, ingress: [{from: [{podSelector: {matchLabels: {app: w${(index + 1) % 3000}}}}]}]}`,
      );
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 500);
    try {
      const run = await runPalisade(['netpol', 'matrix', '-'], {
        stdin: documents.join('\n---\n'),
        signal: controller.signal,
      });
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, /interrupted/);
      assert.equal(run.stdout, '');
    } finally {
      clearTimeout(timer);
    }
  });

  it('reads standard input and reports invalid policies with their position', async () => {
    const stdin = readFileSync(join(fixtures, 'invalid-policy.yaml'), 'utf8');
    const run = await runPalisade(['netpol', 'can-reach', 'default/client', 'default/server', '-'], {
      stdin,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /<stdin>:\d+:\d+: NetworkPolicy\/default\/broken: peer names no podSelector/);
    assert.match(
      run.stderr,
      /<stdin>:\d+:\d+: NetworkPolicy\/default\/broken: ipBlock\.cidr "10\.0\.0\.300\/8" is not a CIDR/,
    );
    assert.match(run.stdout, /NOT REACHABLE/);
  });

  it('a CIDR with spaces around it is read as meant, and said to be one the API server refuses', async () => {
    const stdin = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: server, namespace: default, labels: {app: server}}',
      'spec: {containers: [{name: s, image: nginx}]}',
      '---',
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata: {name: spaced, namespace: default}',
      'spec:',
      '  podSelector: {matchLabels: {app: server}}',
      '  ingress: [{from: [{ipBlock: {cidr: " 10.0.0.0/8 ", except: ["10.1.0.0/16 "]}}]}]',
    ].join('\n');
    const run = await runPalisade(['netpol', 'can-reach', '10.2.0.1', 'default/server', '-'], { stdin });
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /ipBlock\.cidr " 10\.0\.0\.0\/8 " has spaces around it \(the API server refuses it\)/,
    );
    assert.match(run.stderr, /except "10\.1\.0\.0\/16 " has spaces around it/);
    assert.match(run.stdout, /^10\.2\.0\.1: REACHABLE/m);
  });

  it('a null rule or port entry is read as the API server stores it, {}: allow all, every TCP port', async () => {
    const stdin = shopWebWithPolicy([
      'metadata: {name: looks-like-deny, namespace: shop}',
      'spec:',
      '  podSelector: {}',
      '  policyTypes: [Ingress, Egress]',
      '  ingress:',
      '  -',
      '  egress:',
      '  - ports:',
      '    -',
      '    - {port: 53, protocol: UDP, endPort: null}',
    ]);
    const inbound = await runPalisade(['netpol', 'can-reach', '203.0.113.5', 'shop/web', '-'], { stdin });
    assert.equal(inbound.code, 0, inbound.stderr);
    assert.match(inbound.stdout, /^203\.0\.113\.5: REACHABLE \(allowed: all\)/m);
    assert.match(
      inbound.stderr,
      /:13:3: NetworkPolicy\/shop\/looks-like-deny: rule is null, which the API server stores as \{\}/,
    );
    const outbound = await runPalisade(
      ['netpol', 'can-reach', 'shop/web', '203.0.113.5', '--port', '443', '-'],
      {
        stdin,
      },
    );
    assert.match(outbound.stdout, /REACHABLE on 443\/TCP/);
    assert.match(
      outbound.stderr,
      /:16:5: .*port entry is null, which the API server stores as \{\}: every TCP port/,
    );
    // A null endPort is no endPort: nothing to warn about.
    assert.doesNotMatch(outbound.stderr, /endPort/);
  });

  it("a pod's recorded IP stands for the pod; a range holding pod IPs is asked as outside traffic, and said", async () => {
    const stdin = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: client, namespace: a, labels: {app: client}}',
      'spec: {containers: [{name: c, image: busybox}]}',
      'status: {podIP: 10.244.1.11}',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: server, namespace: b, labels: {app: server}}',
      'spec: {containers: [{name: s, image: nginx}]}',
      'status: {podIP: 10.244.2.22}',
      '---',
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata: {name: deny-all, namespace: b}',
      'spec: {podSelector: {}, policyTypes: [Ingress]}',
      '---',
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata: {name: from-client, namespace: b}',
      'spec:',
      '  podSelector: {}',
      '  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: a}}, podSelector: {matchLabels: {app: client}}}]}]',
    ].join('\n');
    // By IP as by name: the selector peer admits the client pod, and b's policies apply to the server.
    for (const [from, to] of [
      ['10.244.1.11', 'b/server'],
      ['a/client', '10.244.2.22'],
    ]) {
      const run = await runPalisade(['netpol', 'can-reach', from as string, to as string, '-'], { stdin });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /From: +Pod\/a\/client\nTo: +Pod\/b\/server/, `${from} -> ${to}`);
      assert.match(run.stdout, /REACHABLE/);
    }
    const range = await runPalisade(['netpol', 'can-reach', '10.244.0.0/16', 'b/server', '-'], { stdin });
    assert.match(range.stdout, /NOT REACHABLE/);
    assert.match(
      range.stderr,
      /note: 10\.244\.0\.0\/16 holds the recorded IPs of 2 pods \(Pod\/a\/client, Pod\/b\/server\): it is asked as traffic from outside the cluster/,
    );
  });

  it('the IP of a pod its workload stands for is that workload; a node address of host-network pods stays one', async () => {
    const owned = join(fixtures, 'by-ip', 'owned.yaml');
    const byIp = await runPalisade(['netpol', 'can-reach', '10.244.1.11', 'b/server', owned]);
    assert.equal(byIp.code, 0, byIp.stderr);
    assert.match(byIp.stdout, /^From: +Deployment\/a\/client\nTo: +Pod\/b\/server/);
    assert.match(byIp.stdout, /REACHABLE/);
    assert.match(
      byIp.stderr,
      /note: 10\.244\.1\.11 is the IP of Pod\/a\/client-abc-x1, which Deployment\/a\/client stands for/,
    );
    // Toward a range, the note says "to".
    const toRange = await runPalisade(['netpol', 'can-reach', 'b/server', '10.244.0.0/16', owned]);
    assert.match(
      toRange.stderr,
      /note: 10\.244\.0\.0\/16 holds the recorded IPs of 2 pods \(Pod\/b\/server, Pod\/a\/client-abc-x1\): it is asked as traffic to outside/,
    );
    const node = await runPalisade([
      'netpol',
      'can-reach',
      '192.168.0.10',
      'b/server',
      join(fixtures, 'by-ip', 'host-network.yaml'),
    ]);
    assert.equal(node.code, 0, node.stderr);
    assert.match(node.stdout, /^From: +192\.168\.0\.10\n/);
    assert.match(node.stdout, /REACHABLE/);
    assert.match(node.stderr, /note: 192\.168\.0\.10 is the node address of host-network pods/);
  });

  it('a rule that matches the peer on no valid port is a denial, said so', async () => {
    const stdin = shopWebWithPolicy([
      'metadata: {name: bad-port, namespace: shop}',
      'spec: {podSelector: {}, ingress: [{ports: [{port: 99999}]}]}',
    ]);
    const run = await runPalisade(['netpol', 'can-reach', '203.0.113.5', 'shop/web', '-'], { stdin });
    assert.match(run.stdout, /NOT REACHABLE/);
    assert.match(run.stdout, /denied: 1 rule matches 203\.0\.113\.5, but on no port/);
  });

  it('a missing input still answers for the rest and exits 3', async () => {
    const run = await runPalisade(['netpol', 'matrix', SHOP, join(fixtures, 'does-not-exist.yaml')]);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /cannot read/);
    assert.match(run.stdout, /from \\ to/);
  });

  it('hostile input does not crash', async () => {
    const stdin =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x, namespace: a}\nspec: {podSelector: 7, ingress: [null, {from: "x", ports: [{port: -1}, {protocol: 5}]}], egress: {}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec: {containers: [{name: c, ports: [{containerPort: "x"}, null]}]}\n';
    for (const args of [
      ['matrix', '-'],
      ['exposure', '-'],
      ['can-reach', 'a/p', 'a/p', '-'],
    ]) {
      const run = await runPalisade(['netpol', ...args], { stdin });
      // The loader refuses the policy's podSelector (exit 3: inputs not read completely), the rest is answered.
      assert.equal(run.code, 3, `${args.join(' ')}: ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /internal error/);
      assert.match(run.stderr, /port -1 is not in 1-65535/);
      assert.ok(run.stdout.length > 0);
    }
  });
});

describe('review cases end to end', () => {
  const POD = (name: string, ports = '[]') =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: a, labels: {app: ${name}}}\nspec: {containers: [{name: c, image: x, ports: ${ports}}]}\n`;
  const DENY =
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: a}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n';

  it('a pod to itself is reachable under default deny, and --expect unreachable fails', async () => {
    const run = await runPalisade(['netpol', 'can-reach', 'a/p', 'a/p', '-', '--expect', 'unreachable'], {
      stdin: `${POD('p')}---\n${DENY}`,
    });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^REACHABLE \(allowed: all\)$/m);
    assert.match(run.stdout, /cannot block .*itself/);
  });

  it('--port NAME takes the UDP protocol of the container port', async () => {
    const run = await runPalisade(
      ['netpol', 'can-reach', 'a/c', 'a/dns', '-', '--port', 'dns', '-f', 'json'],
      {
        stdin: `${POD('c')}---\n${POD('dns', '[{name: dns, containerPort: 53, protocol: UDP}]')}`,
      },
    );
    assert.equal(run.code, 0, run.stderr);
    const answer = JSON.parse(run.stdout);
    assert.equal(answer.port, 'dns/UDP');
    assert.equal(answer.reachable, true);
  });

  it('a policy defined in two files: the later wins and the warning names both positions', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'palisade-netpol-'));
    try {
      writeFileSync(join(directory, '1-pods.yaml'), `${POD('p')}---\n${POD('q')}`);
      writeFileSync(join(directory, '2-deny.yaml'), DENY);
      writeFileSync(
        join(directory, '3-deny.yaml'),
        DENY.replace(
          'podSelector: {}, policyTypes: [Ingress, Egress]',
          'podSelector: {matchLabels: {app: q}}',
        ),
      );
      const run = await runPalisade(['netpol', 'can-reach', 'a/q', 'a/p', directory]);
      assert.equal(run.code, 0, run.stderr);
      // Combined, the first definition would deny q's egress.
      assert.match(run.stdout, /^REACHABLE \(allowed: all\)$/m);
      assert.match(
        run.stderr,
        /3-deny\.yaml:1:1: NetworkPolicy\/a\/deny: also defined at [^ ]*2-deny\.yaml:1; the analysis uses this later definition/,
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('palisade netpol never lets names drive the terminal', () => {
  it('prints control characters from the inputs as visible escapes, on stdout and stderr', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'palisade-netpol-escape-'));
    try {
      const file = join(directory, 'escape.yaml');
      writeFileSync(
        file,
        [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: "web\\e]0;owned\\a\\e[2J", namespace: shop}',
          'spec:',
          '  selector: {matchLabels: {app: w}}',
          '  template:',
          '    metadata: {labels: {app: w}}',
          '    spec: {containers: [{name: c, image: x}]}',
          '---',
          'apiVersion: v1',
          'kind: Service',
          'metadata: {name: s, namespace: shop}',
          'spec: {type: NodePort, selector: {app: w}, ports: [{port: 80}]}',
          '---',
          'apiVersion: networking.k8s.io/v1',
          'kind: NetworkPolicy',
          'metadata: {name: "p\\e[31m", namespace: shop}',
          'spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: "10.0.0.0/33"}}]}]}',
        ].join('\n'),
      );
      for (const args of [
        ['exposure', file],
        ['matrix', file],
        ['can-reach', 'shop/web\u001b]0;owned\u0007\u001b[2J', 'shop/web\u001b]0;owned\u0007\u001b[2J', file],
      ]) {
        const run = await runPalisade(['netpol', ...args]);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for raw control characters
        assert.doesNotMatch(`${run.stdout}${run.stderr}`, /[\u0000-\u0008\u000b-\u001f\u007f]/, args[0]);
        assert.match(`${run.stdout}${run.stderr}`, /\\x1b/, args[0]);
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

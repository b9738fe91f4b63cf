import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inventory } from '../core/inventory.ts';
import { formatRef, type KubeObject } from '../core/kube-object.ts';
import { formatConnections } from '../netpol/connection-set.ts';
import { exposureIndex } from './exposure-index.ts';
import type { ExposureFact } from './exposure-model.ts';

function workload(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  podSpec: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'main', image: 'x:1', ports: [{ name: 'http', containerPort: 8080 }] }],
          ...podSpec,
        },
      },
    },
  };
}

function service(
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  annotations?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    spec: { selector: { app: 'web' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }], ...spec },
  };
}

function gatewayObject(
  kind: string,
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  apiVersion = 'gateway.networking.k8s.io/v1',
): KubeObject {
  return { apiVersion, kind, metadata: { name, namespace }, spec };
}

const WEB = workload('shop', 'web', { app: 'web' });

function facts(...objects: KubeObject[]): ExposureFact[] {
  return [...exposureIndex(Inventory.of([WEB, ...objects])).facts];
}

function summary(fact: ExposureFact): string {
  return `${fact.kind} ${fact.workload} via ${fact.path
    .slice(0, -1)
    .map((step) => formatRef(step.ref))
    .join(' > ')} ${formatConnections(fact.ports)}`;
}

describe('Service exposure', () => {
  it('a ClusterIP Service exposes nothing', () => {
    assert.deepEqual(facts(service('shop', 'web', {})), []);
  });

  it('NodePort resolves the named targetPort on the workload', () => {
    assert.deepEqual(facts(service('shop', 'web', { type: 'NodePort' })).map(summary), [
      'node-port Deployment/shop/web via Service/shop/web TCP 8080',
    ]);
  });

  it('LoadBalancer opens node ports too unless told not to, and notes internal load balancers', () => {
    const lb = service(
      'shop',
      'web',
      { type: 'LoadBalancer' },
      { 'networking.gke.io/load-balancer-type': 'Internal' },
    );
    const found = facts(lb);
    assert.deepEqual(
      found.map((fact) => fact.kind),
      ['load-balancer', 'node-port'],
    );
    assert.match(found[0]?.notes[0] ?? '', /internal load balancer/);
    const noNodePorts = service('shop', 'web', {
      type: 'LoadBalancer',
      allocateLoadBalancerNodePorts: false,
    });
    assert.deepEqual(
      facts(noNodePorts).map((fact) => fact.kind),
      ['load-balancer'],
    );
  });

  it('externalIPs expose even a ClusterIP Service', () => {
    assert.deepEqual(
      facts(service('shop', 'web', { externalIPs: ['192.0.2.10'] })).map((fact) => fact.kind),
      ['external-ip'],
    );
  });

  it('a Service in another namespace or with a different selector exposes nothing of it', () => {
    assert.deepEqual(
      facts(
        service('other', 'web', { type: 'NodePort' }),
        service('shop', 'x', { type: 'NodePort', selector: { app: 'x' } }),
      ),
      [],
    );
  });

  it('an unresolved named targetPort is said, not silently dropped', () => {
    const found = facts(
      service('shop', 'web', { type: 'NodePort', ports: [{ port: 80, targetPort: 'nope' }] }),
    );
    assert.equal(formatConnections(found[0]?.ports ?? { TCP: [], UDP: [], SCTP: [] }), 'none');
    assert.match(found[0]?.notes[0] ?? '', /targetPort nope is not a container port/);
  });

  it('says what NetworkPolicy makes of outside traffic', () => {
    const lb = service('shop', 'web', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false });
    const policy = (ingress: unknown[]): KubeObject => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'shop' },
      spec: { podSelector: {}, ingress },
    });
    assert.equal(facts(lb)[0]?.policy?.verdict, 'not-isolated');
    assert.equal(facts(lb, policy([]))[0]?.policy?.verdict, 'blocked');
    assert.equal(facts(lb, policy([{ ports: [{ port: 'http' }] }]))[0]?.policy?.verdict, 'open');
    const restricted = facts(lb, policy([{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }]))[0]?.policy;
    assert.equal(restricted?.verdict, 'restricted');
    assert.equal(restricted?.detail, '203.0.113.0/24 (TCP 8080)');
    // A rule opening another port than the exposed one does not open the exposure.
    assert.equal(facts(lb, policy([{ ports: [{ port: 9999 }] }]))[0]?.policy?.verdict, 'blocked');
  });
});

describe('Ingress exposure', () => {
  const ingress = (spec: Record<string, unknown>, apiVersion = 'networking.k8s.io/v1'): KubeObject => ({
    apiVersion,
    kind: 'Ingress',
    metadata: { name: 'ing', namespace: 'shop' },
    spec,
  });

  it('follows rules and the default backend to the Service port and the workload', () => {
    const found = facts(
      service('shop', 'web', {}),
      ingress({
        defaultBackend: { service: { name: 'web', port: { name: 'web' } } },
        rules: [
          {
            host: 'a.example.com',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'web', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      }),
    );
    assert.deepEqual(found.map(summary), [
      'ingress Deployment/shop/web via Ingress/shop/ing > Service/shop/web TCP 8080',
      'ingress Deployment/shop/web via Ingress/shop/ing > Service/shop/web TCP 8080',
    ]);
    assert.match(found[1]?.path[0]?.detail ?? '', /host a\.example\.com path \/ \(Prefix\)/);
  });

  it('reads the v1beta1 serviceName/servicePort form', () => {
    const found = facts(
      service('shop', 'web', {}),
      ingress({ backend: { serviceName: 'web', servicePort: 80 } }, 'extensions/v1beta1'),
    );
    assert.equal(found.length, 1);
  });

  it('an ExternalName backend Service sends nothing to the pods its selector names', () => {
    const found = facts(
      service('shop', 'web', { type: 'ExternalName', externalName: 'web.example.com' }),
      ingress({ defaultBackend: { service: { name: 'web', port: { number: 80 } } } }),
    );
    assert.deepEqual(found, []);
  });

  it('a backend Service that does not exist exposes nothing', () => {
    assert.deepEqual(
      facts(ingress({ defaultBackend: { service: { name: 'missing', port: { number: 80 } } } })),
      [],
    );
  });
});

describe('Gateway API exposure', () => {
  const gateway = (listeners: unknown[]) =>
    gatewayObject('Gateway', 'infra', 'public', { gatewayClassName: 'envoy', listeners });
  const route = (
    kind: string,
    spec: Record<string, unknown>,
    namespace = 'shop',
    apiVersion = 'gateway.networking.k8s.io/v1',
  ) =>
    gatewayObject(
      kind,
      namespace,
      'r',
      { rules: [{ backendRefs: [{ name: 'web', port: 80 }] }], ...spec },
      apiVersion,
    );
  const parent = { name: 'public', namespace: 'infra' };
  const fromAll = { namespaces: { from: 'All' } };

  it('an HTTPRoute attached to a listener that admits its namespace exposes the backends', () => {
    const found = facts(
      service('shop', 'web', {}),
      gateway([{ name: 'https', protocol: 'HTTPS', port: 443, allowedRoutes: fromAll }]),
      route('HTTPRoute', { parentRefs: [parent] }),
    );
    assert.deepEqual(found.map(summary), [
      'gateway-route Deployment/shop/web via Gateway/infra/public > HTTPRoute/shop/r > Service/shop/web TCP 8080',
    ]);
  });

  it('allowedRoutes defaults to the Gateway namespace', () => {
    assert.deepEqual(
      facts(
        service('shop', 'web', {}),
        gateway([{ name: 'http', protocol: 'HTTP', port: 80 }]),
        route('HTTPRoute', { parentRefs: [parent] }),
      ),
      [],
    );
  });

  it('allowedRoutes Selector matches namespace labels (the automatic name label included)', () => {
    const selector = {
      namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } },
    };
    assert.equal(
      facts(
        service('shop', 'web', {}),
        gateway([{ name: 'h', protocol: 'HTTP', port: 80, allowedRoutes: selector }]),
        route('HTTPRoute', { parentRefs: [parent] }),
      ).length,
      1,
    );
  });

  it('sectionName, port, route kind and hostnames must agree with the listener', () => {
    const listeners = [
      { name: 'tls', protocol: 'TLS', port: 8443, allowedRoutes: fromAll },
      { name: 'web', protocol: 'HTTPS', port: 443, hostname: '*.example.com', allowedRoutes: fromAll },
    ];
    const objects = (spec: Record<string, unknown>, kind = 'HTTPRoute') =>
      facts(service('shop', 'web', {}), gateway(listeners), route(kind, spec));
    assert.equal(objects({ parentRefs: [{ ...parent, sectionName: 'tls' }] }).length, 0);
    assert.equal(objects({ parentRefs: [{ ...parent, port: 8443 }] }).length, 0);
    assert.equal(objects({ parentRefs: [parent], hostnames: ['shop.other.org'] }).length, 0);
    assert.equal(objects({ parentRefs: [parent], hostnames: ['a.b.example.com'] }).length, 1);
    assert.equal(objects({ parentRefs: [{ ...parent, sectionName: 'tls' }] }, 'TLSRoute').length, 1);
    assert.equal(objects({ parentRefs: [{ ...parent, sectionName: 'tls' }] }, 'TCPRoute').length, 0);
  });

  it('a backend in another namespace needs a ReferenceGrant there', () => {
    const crossing = route(
      'HTTPRoute',
      { parentRefs: [parent], rules: [{ backendRefs: [{ name: 'web', namespace: 'shop', port: 80 }] }] },
      'infra',
    );
    const listeners = [{ name: 'h', protocol: 'HTTP', port: 80 }];
    assert.equal(facts(service('shop', 'web', {}), gateway(listeners), crossing).length, 0);
    const grant = gatewayObject(
      'ReferenceGrant',
      'shop',
      'g',
      {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'infra' }],
        to: [{ group: '', kind: 'Service' }],
      },
      'gateway.networking.k8s.io/v1beta1',
    );
    assert.equal(facts(service('shop', 'web', {}), gateway(listeners), crossing, grant).length, 1);
  });

  it('a Gateway not in the inputs is assumed to accept the route, and the fact says so', () => {
    const found = facts(service('shop', 'web', {}), route('GRPCRoute', { parentRefs: [parent] }));
    assert.equal(found.length, 1);
    assert.match(found[0]?.notes[0] ?? '', /not in the scanned objects/);
  });
});

describe('host exposure', () => {
  it('hostNetwork and hostPort', () => {
    const agent = workload(
      'ops',
      'agent',
      { app: 'agent' },
      {
        hostNetwork: true,
        containers: [
          {
            name: 'a',
            image: 'x',
            ports: [
              { containerPort: 9100, hostPort: 9100 },
              { containerPort: 53, protocol: 'UDP' },
            ],
          },
        ],
      },
    );
    assert.deepEqual(facts(agent).map(summary), [
      'host-network Deployment/ops/agent via  TCP 9100; UDP 53',
      'host-port Deployment/ops/agent via  TCP 9100',
    ]);
  });

  it('facts are computed once per inventory', () => {
    const inventory = Inventory.of([WEB, service('shop', 'web', { type: 'NodePort' })]);
    assert.equal(exposureIndex(inventory), exposureIndex(inventory));
    assert.equal(exposureIndex(inventory).byWorkload.get('Deployment/shop/web')?.length, 1);
  });
});

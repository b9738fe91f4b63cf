import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinRules } from '../rules/index.ts';
import { parseAdmissionPolicy } from './policy-config.ts';

const HEADER = 'apiVersion: palisade.dev/v1alpha1\nkind: AdmissionPolicy\n';

describe('parseAdmissionPolicy', () => {
  it('reads every section', () => {
    const policy = parseAdmissionPolicy(
      `${HEADER}pssVersion: v1.30\ndefaults:\n  enforce: { level: restricted, skipRules: [run-as-non-root] }\nnamespaces:\n  - match: [dev-*]\n    warn: { frameworks: [nsa-cisa] }\nnamespaceLabels: true\nexemptions: { usernames: [ops] }\nimages: { allowedRegistries: [ghcr.io/acme], disallowLatest: warn, requireDigest: { namespaces: [prod] } }\nmutation: { rules: [privilege-escalation], overrideExplicit: true }\nfailureMode: deny\n`,
      'p.yaml',
      builtinRules,
    );
    assert.equal(policy.pssVersion, 'v1.30');
    assert.deepEqual(policy.defaults.enforce, { level: 'restricted', skipRules: ['run-as-non-root'] });
    assert.deepEqual(policy.namespaces[0]?.match, ['dev-*']);
    assert.equal(policy.images.disallowLatest, 'warn');
    assert.deepEqual(policy.images.requireDigest, { namespaces: ['prod'], mode: 'enforce' });
    assert.equal(policy.mutation.overrideExplicit, true);
    assert.equal(policy.failureMode, 'deny');
  });

  const errors: [string, string, RegExp][] = [
    [
      'unknown field',
      `${HEADER}defaults:\n  enforce: { levle: baseline }\n`,
      /p\.yaml:4:\d+: unknown field "levle"/,
    ],
    [
      'unknown rule',
      `${HEADER}mutation:\n  rules: [no-such-rule]\n`,
      /p\.yaml:4:\d+: unknown rule id "no-such-rule"/,
    ],
    ['bad level', `${HEADER}defaults:\n  warn: { level: strict }\n`, /defaults\.warn\.level must be one of/],
    ['bad version', `${HEADER}pssVersion: v2.0\n`, /invalid Pod Security Standards version/],
    [
      'a namespace exemption that no namespace can match (the API server would refuse it in a namespaceSelector)',
      `${HEADER}exemptions:\n  namespaces: [ok-ns, "team:x"]\n`,
      /p\.yaml:4:\d+: "team:x" is not a namespace name or pattern/,
    ],
    [
      'a namespace pattern with characters a namespace never has',
      `${HEADER}namespaces:\n  - match: ["prod-*", "Team X"]\n    enforce: { level: restricted }\n`,
      /"Team X" is not a namespace name or pattern/,
    ],
    ['wrong kind', 'apiVersion: palisade.dev/v1alpha1\nkind: Policy\n', /kind must be AdmissionPolicy/],
    ['YAML syntax', `${HEADER}defaults: [\n`, /p\.yaml:\d+:\d+/],
    ['alias bomb', `${HEADER}a: &a [x]\nb: *a\n`, /alias|Excessive|unknown field/i],
    [
      'empty defaults (which would turn enforcement off)',
      `${HEADER}defaults:\n`,
      /p\.yaml:3:\d+: defaults is empty, which would remove every default mode/,
    ],
    [
      'an empty mode under defaults',
      `${HEADER}defaults:\n  enforce:\n  warn: { level: restricted }\n`,
      /p\.yaml:4:\d+: enforce is empty/,
    ],
    [
      'a namespace mode that selects no rules (it replaces the default mode whole: enforcement would be off)',
      `${HEADER}namespaces:\n  - match: [prod]\n    enforce: { version: v1.24 }\n  - match: [dev]\n    warn: {}\n`,
      /p\.yaml:5:\d+: enforce selects no rules; give it a level, frameworks or rules \(a namespace entry's enforce replaces the default's whole[\s\S]*p\.yaml:7:\d+: warn selects no rules/,
    ],
    [
      'a default mode that only skips rules',
      `${HEADER}defaults:\n  audit: { skipRules: [host-ports] }\n`,
      /p\.yaml:4:\d+: audit selects no rules; give it a level, frameworks or rules$/m,
    ],
    [
      'allowed registries that can match no image (and would deny every pod)',
      `${HEADER}images:\n  allowedRegistries: [ghcr.io/acme, "ghcr.io/acme/*", "https://r.example.com", nginx]\n`,
      /p\.yaml:4:\d+: "ghcr\.io\/acme\/\*" is not a registry host or repository prefix[\s\S]*"https:\/\/r\.example\.com" is not[\s\S]*"nginx" names no registry/,
    ],
    [
      'a mutation rule without a fix',
      `${HEADER}mutation:\n  rules: [privilege-escalation, privileged-container]\n`,
      /p\.yaml:4:\d+: rule "privileged-container" has no automatic fix/,
    ],
  ];
  it('accepts registry hosts with ports, IPv6 addresses, localhost and repository prefixes', () => {
    const allowed = [
      'quay.io:443',
      '[::1]:5000',
      'localhost/team',
      'myreg:5000',
      'ghcr.io/acme/',
      'docker.io',
    ];
    const policy = parseAdmissionPolicy(
      `${HEADER}images:\n  allowedRegistries: ${JSON.stringify(allowed)}\n`,
      'p.yaml',
      builtinRules,
    );
    assert.deepEqual(policy.images.allowedRegistries, allowed);
  });

  it('`level: privileged` is the explicit way to have a mode select nothing', () => {
    const policy = parseAdmissionPolicy(
      `${HEADER}namespaces:\n  - match: [lab]\n    enforce: { level: privileged }\n`,
      'p.yaml',
      builtinRules,
    );
    assert.deepEqual(policy.namespaces[0]?.modes, { enforce: { level: 'privileged' } });
  });

  it('`defaults: {}` is the explicit way to have no default modes', () => {
    const policy = parseAdmissionPolicy(`${HEADER}defaults: {}\n`, 'p.yaml', builtinRules);
    assert.deepEqual(policy.defaults, {});
  });

  for (const [name, text, pattern] of errors)
    it(`reports ${name} with its position`, () => {
      assert.throws(
        () => parseAdmissionPolicy(text, 'p.yaml', builtinRules),
        (error: Error) => {
          assert.match(error.message, pattern);
          return true;
        },
      );
    });
});

// biome-ignore-all lint/suspicious/noControlCharactersInRegex: these regexes exist to find control characters
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderJunit } from '../../src/outputs/junit.ts';
import { escapeXmlAttribute, escapeXmlText } from '../../src/outputs/xml-text.ts';
import { basicReport, hostileReport } from './fixture.ts';
import { assertGolden } from './golden.ts';

function attributes(xml: string, element: string): Record<string, string>[] {
  return [...xml.matchAll(new RegExp(`<${element} ([^>]*?)/?>`, 'g'))].map((match) =>
    Object.fromEntries([...match[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!])),
  );
}

/** What XML 1.0 allows: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
function assertXmlCharacters(xml: string): void {
  assert.doesNotMatch(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
  assert.doesNotMatch(
    xml,
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
    'lone surrogate',
  );
}

describe('JUnit writer', () => {
  it('matches the golden files', () => {
    assertGolden('basic/report.xml', renderJunit(basicReport(), { showSuppressed: false, color: false }));
    assertGolden(
      'basic/report.show-suppressed.xml',
      renderJunit(basicReport(), { showSuppressed: true, color: false }),
    );
  });

  it('has one suite per rule, plus the inputs suite, with correct counts', () => {
    for (const showSuppressed of [false, true]) {
      const xml = renderJunit(basicReport(), { showSuppressed, color: false });
      const suites = attributes(xml, 'testsuite');
      assert.deepEqual(
        suites.map((suite) => suite.name),
        [
          'privileged-container',
          'run-as-non-root',
          'latest-image-tag',
          'cluster-admin-binding',
          'host-pid',
          'palisade:inputs',
        ],
      );
      // Each suite's counts equal what its body holds, and the totals equal the sums.
      const bodies = xml.split('<testsuite ').slice(1);
      const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
      suites.forEach((suite, index) => {
        const body = bodies[index]!;
        const counted = {
          tests: (body.match(/<testcase /g) ?? []).length,
          failures: (body.match(/<failure /g) ?? []).length,
          errors: (body.match(/<error /g) ?? []).length,
          skipped: (body.match(/<skipped /g) ?? []).length,
        };
        assert.deepEqual(
          {
            tests: +suite.tests!,
            failures: +suite.failures!,
            errors: +suite.errors!,
            skipped: +suite.skipped!,
          },
          counted,
          suite.name,
        );
        for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += counted[key];
      });
      const root = attributes(xml, 'testsuites')[0]!;
      assert.deepEqual(
        { tests: +root.tests!, failures: +root.failures!, errors: +root.errors!, skipped: +root.skipped! },
        total,
      );
      assert.equal(
        total.failures,
        4,
        'privileged, run-as-non-root and latest-image-tag on web; cluster-admin',
      );
      assert.equal(total.skipped, showSuppressed ? 2 : 0);
    }
  });

  it('gives a rule without findings one passing test case', () => {
    const xml = renderJunit(basicReport(), { showSuppressed: false, color: false });
    assert.match(xml, /<testcase name="all evaluated objects" classname="host-pid" time="0"\/>/);
  });

  it('escapes markup and replaces characters XML 1.0 forbids', () => {
    const xml = renderJunit(hostileReport(), { showSuppressed: true, color: false });
    assertXmlCharacters(xml);
    assert.ok(xml.includes('name="Pod/ns]]&gt;/x&lt;y&gt;&amp;&quot;z\'"'));
    assert.ok(!xml.includes('</failure><x'), 'no injected markup');
    assert.ok(!xml.includes('\u202e') && xml.includes('\\u202e'), 'bidi overrides are shown, not applied');
    assertGolden('hostile/report.xml', xml);
  });

  it('escapes text and attributes', () => {
    assert.equal(escapeXmlText('a<b>&c\r\u0001\ud800'), 'a&lt;b&gt;&amp;c&#13;\\x01\ufffd');
    assert.equal(escapeXmlAttribute('"x"\t\n\'y\''), "&quot;x&quot;&#9;&#10;'y'");
    assert.equal(escapeXmlText('\u{1F600}\u00e9'), '\u{1F600}\u00e9', 'valid non-ASCII is kept');
  });
});

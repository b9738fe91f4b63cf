// biome-ignore-all lint/suspicious/noTemplateCurlyInString: pom.xml inputs hold Maven ${property} expressions, not templates
// go.mod/go.sum and pom.xml read as Go and Maven read them, on the cases another scanner's test suite covers:
// replace directives bound to a version, `// indirect` comments, go.sum beside an old go.mod, and a pom's
// interpolation (inherited coordinates, nested properties) and dependencyManagement from the same file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Package, PackageInventory } from '../../src/image/package.ts';
import { scanFiles } from './scan-files.ts';

/** purl, then ` dev`/` indirect` when so, then `@path:line` of each location. */
function summary(pkg: Package): string {
  const flags = `${pkg.dev === true ? ' dev' : ''}${pkg.direct === false ? ' indirect' : ''}`;
  return `${pkg.purl}${flags} ${pkg.locations.map((l) => `${l.path}:${l.line ?? ''}`).join(',')}`;
}

const summaries = (inventory: PackageInventory): string[] => inventory.packages.map(summary);

/** A pom.xml of these dependency elements, with optional extra top-level elements before them. */
function pom(head: string, dependencies: string[]): string {
  return `<project>\n${head}\n<dependencies>\n${dependencies.join('\n')}\n</dependencies>\n</project>\n`;
}

function dependency(groupId: string, artifactId: string, rest = ''): string {
  return `<dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId>${rest}</dependency>`;
}

describe('go.mod and go.sum as Go reads them', () => {
  it('applies a replace whose left side names a version only to that version, the specific one first', async (t) => {
    const inventory = await scanFiles(t, {
      'go.mod': [
        'module example.com/app',
        '',
        'go 1.21',
        '',
        'require (',
        '\texample.com/kept v1.0.0',
        '\texample.com/local v1.1.0 // indirect',
        '\texample.com/gone v1.2.0',
        '\texample.com/both v1.3.0',
        ')',
        '',
        'replace example.com/kept v0.9.0 => example.com/kept v1.0.9',
        'replace example.com/local v1.0.0 => ./local',
        'replace example.com/gone v1.2.0 => ../gone',
        'replace example.com/both => example.com/fork v2.0.0',
        'replace example.com/both v1.3.0 => example.com/both v1.3.1',
        '',
      ].join('\n'),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summaries(inventory), [
      'pkg:golang/example.com/both@v1.3.1 go.mod:9',
      'pkg:golang/example.com/kept@v1.0.0 go.mod:6',
      'pkg:golang/example.com/local@v1.1.0 indirect go.mod:7',
    ]);
  });

  it('takes `// indirect` as Go does (the word alone or `indirect;`), and quoted module paths', async (t) => {
    const inventory = await scanFiles(t, {
      'go.mod': [
        'module example.com/app',
        '',
        'go 1.22',
        '',
        'require (',
        '\texample.com/a v1.0.0 // indirectly used by the CLI: still a direct requirement',
        '\texample.com/b v1.0.0 // indirect; kept for the tests',
        '\t"example.com/c" v1.0.0',
        '\texample.com/d v1.0.0 // TODO: not indirect',
        ')',
        '',
      ].join('\n'),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summaries(inventory), [
      'pkg:golang/example.com/a@v1.0.0 go.mod:6',
      'pkg:golang/example.com/b@v1.0.0 indirect go.mod:7',
      'pkg:golang/example.com/c@v1.0.0 go.mod:8',
      'pkg:golang/example.com/d@v1.0.0 go.mod:9',
    ]);
  });

  it('adds from go.sum (go.mod before 1.17) the modules go.mod does not name, each at its highest version', async (t) => {
    const inventory = await scanFiles(t, {
      'go.mod': 'module example.com/app\n\ngo 1.16\n\nrequire example.com/direct v1.2.0\n',
      'go.sum': [
        'example.com/direct v1.1.0 h1:a=',
        'example.com/direct v1.1.0/go.mod h1:b=',
        'example.com/direct v1.2.0 h1:c=',
        'example.com/direct v1.2.0/go.mod h1:d=',
        'example.com/trans v1.9.0 h1:e=',
        'example.com/trans v1.10.0 h1:f=',
        'example.com/trans v1.10.0/go.mod h1:g=',
        'example.com/graph-only v2.0.0/go.mod h1:h=',
        '',
      ].join('\n'),
      // Alone, go.sum says nothing of what is direct.
      'alone/go.sum':
        'example.com/x v0.2.0 h1:a=\nexample.com/x v0.10.0-rc.1 h1:b=\nexample.com/x v0.9.0 h1:c=\n',
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summaries(inventory), [
      'pkg:golang/example.com/direct@v1.2.0 go.mod:5',
      'pkg:golang/example.com/trans@v1.10.0 indirect go.sum:6',
      'pkg:golang/example.com/x@v0.10.0-rc.1 alone/go.sum:2',
    ]);
  });
});

describe('pom.xml interpolated as Maven does, from the same file', () => {
  it('resolves ${project.version} and ${project.groupId} inherited from <parent>, and the parent coordinates', async (t) => {
    const inventory = await scanFiles(t, {
      'module/pom.xml': pom(
        '<parent><groupId>com.example</groupId><artifactId>parent</artifactId><version>2.1.0</version></parent>\n<artifactId>module</artifactId>',
        [
          dependency('${project.groupId}', 'sibling', '<version>${project.version}</version>'),
          dependency('org.example', 'by-parent', '<version>${project.parent.version}</version>'),
          dependency('org.example', 'deprecated', '<version>${version}</version>'),
        ],
      ),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summaries(inventory), [
      'pkg:maven/com.example/sibling@2.1.0 module/pom.xml:5',
      'pkg:maven/org.example/by-parent@2.1.0 module/pom.xml:6',
      'pkg:maven/org.example/deprecated@2.1.0 module/pom.xml:7',
    ]);
  });

  it('resolves properties defined by other properties, in versions and in artifactId', async (t) => {
    const inventory = await scanFiles(t, {
      'pom.xml': pom(
        '<groupId>com.example</groupId><artifactId>app</artifactId><version>1.0.0</version>\n<properties><scala.binary>2.13</scala.binary><spark.base>3.5</spark.base><spark.version>${spark.base}.1</spark.version><own>${project.version}</own></properties>',
        [
          dependency('org.apache.spark', 'spark-core_${scala.binary}', '<version>${spark.version}</version>'),
          dependency('com.example', 'own', '<version>${own}</version>'),
        ],
      ),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summaries(inventory), [
      'pkg:maven/com.example/own@1.0.0 pom.xml:6',
      'pkg:maven/org.apache.spark/spark-core_2.13@3.5.1 pom.xml:5',
    ]);
  });

  it("fills a missing version and scope from the file's dependencyManagement, by type and classifier", async (t) => {
    const inventory = await scanFiles(t, {
      'pom.xml': pom(
        [
          '<groupId>com.example</groupId><artifactId>app</artifactId><version>1.0.0</version>',
          '<properties><mockito.version>5.11.0</mockito.version></properties>',
          '<dependencyManagement><dependencies>',
          dependency(
            'org.mockito',
            'mockito-core',
            '<version>${mockito.version}</version><scope>test</scope>',
          ),
          dependency('org.example', 'native', '<version>2.0</version><classifier>linux</classifier>'),
          dependency('org.example', 'native', '<version>2.1</version>'),
          dependency('org.example', 'scoped', '<version>3.0</version><scope>test</scope>'),
          dependency('org.example', 'bom', '<version>9.0</version><type>pom</type><scope>import</scope>'),
          '</dependencies></dependencyManagement>',
        ].join('\n'),
        [
          dependency('org.mockito', 'mockito-core'),
          dependency('org.example', 'native', '<classifier>linux</classifier>'),
          dependency('org.example', 'native'),
          dependency('org.example', 'scoped', '<scope>compile</scope>'),
          dependency('org.example', 'bom'),
        ],
      ),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summaries(inventory), [
      'pkg:maven/org.example/native@2.0 pom.xml:13',
      'pkg:maven/org.example/native@2.1 pom.xml:14',
      'pkg:maven/org.example/scoped@3.0 pom.xml:15',
      'pkg:maven/org.mockito/mockito-core@5.11.0 dev pom.xml:12',
    ]);
  });

  it('reads [1.2.3] as exactly that version and leaves out ranges and LATEST/RELEASE', async (t) => {
    const inventory = await scanFiles(t, {
      'pom.xml': pom('<groupId>com.example</groupId><artifactId>app</artifactId><version>1.0.0</version>', [
        dependency('org.example', 'hard', '<version>[1.2.3]</version>'),
        dependency('org.example', 'range', '<version>[1.0,2.0)</version>'),
        dependency('org.example', 'latest', '<version>LATEST</version>'),
        dependency('org.example', 'release', '<version>RELEASE</version>'),
      ]),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summaries(inventory), ['pkg:maven/org.example/hard@1.2.3 pom.xml:4']);
  });

  it("does not count build plugins' dependencies as the project's", async (t) => {
    const inventory = await scanFiles(t, {
      'pom.xml': [
        '<project>',
        '<groupId>com.example</groupId><artifactId>app</artifactId><version>1.0.0</version>',
        '<dependencies>',
        dependency('org.example', 'runtime', '<version>1.0</version>'),
        '</dependencies>',
        '<build><plugins><plugin><groupId>org.example</groupId><artifactId>plugin</artifactId><version>3.0</version>',
        `<dependencies>${dependency('org.example', 'plugin-classpath', '<version>9.9</version>')}</dependencies>`,
        '</plugin></plugins></build>',
        '</project>',
        '',
      ].join('\n'),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summaries(inventory), ['pkg:maven/org.example/runtime@1.0 pom.xml:4']);
  });

  it('leaves out versions from cyclic, over-deep or exploding properties, in linear time', {
    timeout: 30_000,
  }, async (t) => {
    const chain = Array.from({ length: 50_000 }, (_, i) => `<p${i}>\${p${i + 1}}</p${i}>`).join('');
    const doubling = Array.from({ length: 100 }, (_, i) => `<d${i}>\${d${i + 1}}\${d${i + 1}}</d${i}>`).join(
      '',
    );
    const inventory = await scanFiles(t, {
      'pom.xml': pom(
        `<properties><a>\${b}</a><b>\${a}</b>${chain}<p50000>1.0</p50000>${doubling}<d100>x</d100></properties>`,
        [
          dependency('org.example', 'cycle', '<version>${a}</version>'),
          dependency('org.example', 'deep', '<version>${p0}</version>'),
          dependency('org.example', 'exploding', '<version>${d0}</version>'),
          dependency('org.example', 'shallow', '<version>${p49998}</version>'),
        ],
      ),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summaries(inventory), ['pkg:maven/org.example/shallow@1.0 pom.xml:7']);
  });
});

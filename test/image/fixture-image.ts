// The test image: a Debian base layer (this machine's real dpkg status when there is one), an application layer
// with one package per language ecosystem, and a layer with whiteouts; plus the packages it must yield.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { goBinary, rustAuditableBinary, zipBytes } from './artifact-builders.ts';
import type { TarSpec } from './tar-writer.ts';

const FALLBACK_STATUS = fileURLToPath(new URL('../fixtures/image/dpkg-status', import.meta.url));
export const STATUS_SOURCE = existsSync('/var/lib/dpkg/status') ? '/var/lib/dpkg/status' : FALLBACK_STATUS;
export const DPKG_STATUS = readFileSync(STATUS_SOURCE);

/** Installed packages in the status file, counted independently of the analyzer (paragraph split + Status field). */
export function installedInStatus(text: string): Map<string, { version: string; source?: string }> {
  const installed = new Map<string, { version: string; source?: string }>();
  for (const paragraph of text.split(/\n\s*\n/)) {
    const field = (name: string): string | undefined =>
      new RegExp(`^${name}: (.*)$`, 'm').exec(paragraph)?.[1];
    const name = field('Package');
    const version = field('Version');
    if (name === undefined || version === undefined || !/ installed$/.test(field('Status') ?? '')) continue;
    const source = field('Source');
    installed.set(name, source === undefined ? { version } : { version, source });
  }
  return installed;
}

const SITE = 'usr/local/lib/python3.11/site-packages';

const OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION_CODENAME=bookworm
ID=debian
`;

const commonsLang = zipBytes([
  {
    name: 'META-INF/MANIFEST.MF',
    content: 'Manifest-Version: 1.0\r\nImplementation-Title: commons-lang3\r\n\r\n',
  },
  {
    name: 'META-INF/maven/org.apache.commons/commons-lang3/pom.properties',
    content: 'groupId=org.apache.commons\nartifactId=commons-lang3\nversion=3.12.0\n',
    deflate: true,
  },
]);
const guava = zipBytes([{ name: 'com/google/common/base/Strings.class', content: 'cafebabe' }]);
const war = zipBytes([
  {
    name: 'META-INF/MANIFEST.MF',
    content: 'Manifest-Version: 1.0\nImplementation-Title: shop\nImplementation-Version: 2.0.0\n\n',
  },
  { name: 'WEB-INF/lib/commons-lang3-3.12.0.jar', content: commonsLang, deflate: true },
  { name: 'WEB-INF/lib/guava-32.1.3-jre.jar', content: guava },
]);

export const BASE_LAYER: TarSpec[] = [
  { name: 'etc/', type: 'directory' },
  { name: 'usr/lib/os-release', content: OS_RELEASE },
  { name: 'etc/os-release', type: 'symlink', linkName: '../usr/lib/os-release' },
  { name: 'etc/debian_version', content: '12.11\n' },
  { name: 'var/lib/dpkg/status', content: DPKG_STATUS },
  {
    name: 'var/lib/dpkg/info/python3-six.list',
    content:
      '/.\n/usr/lib/python3/dist-packages/six-1.16.0.dist-info\n/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA\n',
  },
  {
    name: 'usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA',
    content: 'Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n',
  },
  { name: 'var/lib/dpkg/info/golang-owned.list', content: '/usr/bin/owned-go\n' },
  {
    name: 'usr/bin/owned-go',
    mode: 0o755,
    content: goBinary('go1.19.8', ['path\texample.com/owned', 'dep\tgithub.com/owned/dep\tv1.0.0\th1:x']),
  },
  { name: 'dev/null', type: 'char' },
];

export const APP_LAYER: TarSpec[] = [
  {
    name: 'app/node_modules/express/package.json',
    content: JSON.stringify({ name: 'express', version: '4.18.2', license: 'MIT' }),
  },
  {
    name: 'app/node_modules/@types/node/package.json',
    content: JSON.stringify({ name: '@types/node', version: '20.10.0', license: 'MIT' }),
  },
  {
    name: 'app/node_modules/left-pad/package.json',
    content: JSON.stringify({ name: 'left-pad', version: '1.3.0' }),
  },
  {
    name: `${SITE}/requests-2.31.0.dist-info/METADATA`,
    content: 'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nLicense: Apache 2.0\n\nbody\n',
  },
  {
    name: `${SITE}/urllib3-2.1.0.dist-info/METADATA`,
    content: 'Metadata-Version: 2.1\nName: urllib3\nVersion: 2.1.0\n',
  },
  {
    name: 'usr/local/bin/app',
    mode: 0o755,
    content: goBinary('go1.21.5', [
      'path\texample.com/app/cmd/app',
      'mod\texample.com/app\tv1.2.3\th1:abc=',
      'dep\tgithub.com/pkg/errors\tv0.9.1\th1:def=',
      'dep\tgolang.org/x/text\tv0.3.0\th1:ghi=',
      '=>\tgolang.org/x/text\tv0.14.0\th1:jkl=',
      'build\t-compiler=gc',
    ]),
  },
  {
    name: 'usr/local/bin/rusty',
    mode: 0o755,
    content: rustAuditableBinary([
      { name: 'rusty', version: '0.1.0', source: 'local', root: true, dependencies: [1, 2] },
      { name: 'serde', version: '1.0.193', source: 'crates.io' },
      { name: 'cc', version: '1.0.83', source: 'crates.io', kind: 'build' },
    ]),
  },
  { name: 'opt/app/app.war', content: war },
  {
    name: 'usr/local/bundle/specifications/rack-3.0.8.gemspec',
    content:
      '# stub\nGem::Specification.new do |s|\n  s.name = "rack".freeze\n  s.version = "3.0.8"\n  s.licenses = ["MIT".freeze]\nend\n',
  },
  {
    name: 'app/vendor/composer/installed.json',
    content: JSON.stringify({ packages: [{ name: 'monolog/monolog', version: '3.5.0', license: ['MIT'] }] }),
  },
  {
    name: 'app/dotnet/app.deps.json',
    content: JSON.stringify({
      libraries: { 'Newtonsoft.Json/13.0.3': { type: 'package' }, 'app/1.0.0': { type: 'project' } },
    }),
  },
];

export const WHITEOUT_LAYER: TarSpec[] = [
  { name: 'app/node_modules/.wh.left-pad', content: '' },
  { name: `${SITE}/.wh..wh..opq`, content: '' },
  {
    name: `${SITE}/requests-2.31.0.dist-info/METADATA`,
    content: 'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nLicense: Apache 2.0\n',
  },
];

export const FIXTURE_LAYERS = [BASE_LAYER, APP_LAYER, WHITEOUT_LAYER];

/** Language packages the image must yield: purl → index of the layer that added it. */
export const EXPECTED_LANGUAGE_PACKAGES: Record<string, number> = {
  'pkg:npm/express@4.18.2': 1,
  'pkg:npm/%40types/node@20.10.0': 1,
  'pkg:pypi/requests@2.31.0': 2,
  'pkg:golang/example.com/app@v1.2.3': 1,
  'pkg:golang/github.com/pkg/errors@v0.9.1': 1,
  'pkg:golang/golang.org/x/text@v0.14.0': 1,
  'pkg:golang/stdlib@v1.21.5': 1,
  'pkg:cargo/serde@1.0.193': 1,
  'pkg:maven/org.apache.commons/commons-lang3@3.12.0': 1,
  'pkg:maven/shop@2.0.0': 1,
  'pkg:maven/guava@32.1.3-jre': 1,
  'pkg:gem/rack@3.0.8': 1,
  'pkg:composer/monolog/monolog@3.5.0': 1,
  'pkg:nuget/Newtonsoft.Json@13.0.3': 1,
};

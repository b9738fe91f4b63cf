// Benchmark: package inventory of a large image (~500 MB uncompressed, thousands of files, hundreds of
// packages across ecosystems) against only decompressing and reading the same layers, in the same run.
// Each measurement runs in a fresh child process so peak memory (maxRSS) is its own.
//   node bench/image.ts            build the image under os.tmpdir(), measure, print, delete it
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, createGunzip, createGzip } from 'node:zlib';
import { scanTarget } from '../src/image/index.ts';
import { parsePlatform } from '../src/image/platform.ts';
import { goBinary, zipBytes } from '../test/image/artifact-builders.ts';
import { type TarSpec, tarBytes } from '../test/image/tar-writer.ts';

const SELF = fileURLToPath(import.meta.url);
const MB = 1024 * 1024;

/** Text that compresses about as well as source code does (random words from a small vocabulary). */
function textBlob(size: number): Buffer {
  const words = [
    'function',
    'return',
    'const',
    'value',
    'import',
    'export',
    'class',
    'this',
    'data',
    'error',
    'async',
  ];
  const random = randomBytes(size);
  let out = '';
  for (let i = 0; out.length < size; i++)
    out += `${words[random[i % size]! % words.length]}${random[(i * 7) % size]! % 10} `;
  return Buffer.from(out.slice(0, size));
}

interface LayerOut {
  digest: string;
  diffId: string;
  size: number;
}

async function writeLayer(dir: string, entries: Iterable<TarSpec>): Promise<LayerOut> {
  const tmp = join(dir, `layer-${process.hrtime.bigint()}`);
  const diff = createHash('sha256');
  const blob = createHash('sha256');
  let size = 0;
  const gzip = createGzip({ level: constants.Z_BEST_SPEED });
  const out = createWriteStream(tmp);
  gzip.on('data', (chunk: Buffer) => {
    blob.update(chunk);
    size += chunk.length;
  });
  gzip.pipe(out);
  const write = async (data: Buffer): Promise<void> => {
    diff.update(data);
    if (!gzip.write(data)) await new Promise<void>((resolve) => gzip.once('drain', () => resolve()));
  };
  for (const entry of entries) await write(tarBytes([entry], { end: false }));
  await write(Buffer.alloc(1024));
  gzip.end();
  await new Promise<void>((resolve) => out.on('finish', () => resolve()));
  const digest = `sha256:${blob.digest('hex')}`;
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  execFileSync('mv', [tmp, join(dir, 'blobs', 'sha256', digest.slice(7))]);
  return { digest, diffId: `sha256:${diff.digest('hex')}`, size };
}

function* osLayer(): Generator<TarSpec> {
  yield {
    name: 'etc/os-release',
    content: 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
  };
  const status = existsSync('/var/lib/dpkg/status') ? readFileSync('/var/lib/dpkg/status') : Buffer.from('');
  yield { name: 'var/lib/dpkg/status', content: status };
  for (let i = 0; i < 1500; i++) yield { name: `usr/share/misc/file-${i}.txt`, content: textBlob(40_000) };
  for (let i = 0; i < 200; i++)
    yield { name: `usr/lib/x86_64-linux-gnu/lib${i}.so.1`, mode: 0o755, content: randomBytes(150_000) };
}

function* nodeLayer(): Generator<TarSpec> {
  for (let i = 0; i < 300; i++) {
    yield {
      name: `app/node_modules/pkg-${i}/package.json`,
      content: JSON.stringify({ name: `pkg-${i}`, version: `1.${i}.0`, license: 'MIT' }),
    };
    for (let j = 0; j < 4; j++)
      yield { name: `app/node_modules/pkg-${i}/lib/file-${j}.js`, content: textBlob(60_000) };
  }
}

function* pythonLayer(): Generator<TarSpec> {
  const site = 'usr/local/lib/python3.11/site-packages';
  for (let i = 0; i < 150; i++) {
    yield {
      name: `${site}/py_pkg_${i}-2.${i}.0.dist-info/METADATA`,
      content: `Metadata-Version: 2.1\nName: py-pkg-${i}\nVersion: 2.${i}.0\nLicense: MIT\n`,
    };
    for (let j = 0; j < 4; j++) yield { name: `${site}/py_pkg_${i}/mod_${j}.py`, content: textBlob(80_000) };
  }
}

function* binaryLayer(): Generator<TarSpec> {
  for (let i = 0; i < 100; i++) {
    const jar = zipBytes([
      {
        name: `META-INF/maven/org.bench/lib-${i}/pom.properties`,
        content: `groupId=org.bench\nartifactId=lib-${i}\nversion=3.${i}\n`,
      },
      { name: `org/bench/lib${i}/Main.class`, content: randomBytes(200_000) },
    ]);
    yield { name: `opt/app/lib/lib-${i}-3.${i}.jar`, content: jar };
  }
  for (let i = 0; i < 5; i++) {
    const deps = Array.from({ length: 20 }, (_, j) => `dep\tgithub.com/bench/mod${i}x${j}\tv0.${j}.0\th1:x=`);
    const binary = goBinary('go1.22.1', [
      `path\texample.com/cmd${i}`,
      `mod\texample.com/cmd${i}\tv1.0.${i}\th1:x=`,
      ...deps,
    ]);
    yield {
      name: `usr/local/bin/tool-${i}`,
      mode: 0o755,
      content: Buffer.concat([binary, randomBytes(10 * MB)]),
    };
  }
}

function* dataLayer(): Generator<TarSpec> {
  for (let i = 0; i < 12; i++) yield { name: `srv/data/blob-${i}.bin`, content: randomBytes(10 * MB) };
  for (let i = 0; i < 1000; i++) yield { name: `srv/www/page-${i}.html`, content: textBlob(30_000) };
}

async function buildLayout(dir: string): Promise<void> {
  const layers: LayerOut[] = [];
  for (const make of [osLayer, nodeLayer, pythonLayer, binaryLayer, dataLayer])
    layers.push(await writeLayer(dir, make()));
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    }),
  );
  const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: configDigest,
        size: config.length,
      },
      layers: layers.map((l) => ({
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: l.digest,
        size: l.size,
      })),
    }),
  );
  const manifestDigest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
  await writeFile(join(dir, 'blobs', 'sha256', configDigest.slice(7)), config);
  await writeFile(join(dir, 'blobs', 'sha256', manifestDigest.slice(7)), manifest);
  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: manifestDigest,
          size: manifest.length,
        },
      ],
    }),
  );
}

/** Child mode: one measurement, printed as JSON. */
async function measure(mode: string, dir: string): Promise<void> {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let detail: Record<string, number> = {};
  if (mode === 'baseline') {
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
      manifests: { digest: string }[];
    };
    const manifest = JSON.parse(
      readFileSync(join(dir, 'blobs', 'sha256', index.manifests[0]!.digest.slice(7)), 'utf8'),
    ) as { layers: { digest: string }[] };
    let bytes = 0;
    for (const layer of manifest.layers)
      for await (const chunk of createReadStream(join(dir, 'blobs', 'sha256', layer.digest.slice(7))).pipe(
        createGunzip(),
      ))
        bytes += (chunk as Buffer).length;
    detail = { uncompressedBytes: bytes };
  } else {
    const { inventory } = await scanTarget(dir, { cwd: '/', platform: parsePlatform('linux/amd64') });
    const byType: Record<string, number> = {};
    for (const pkg of inventory.packages) byType[pkg.type] = (byType[pkg.type] ?? 0) + 1;
    detail = { packages: inventory.packages.length, ...byType };
  }
  const cpu = process.cpuUsage(cpuStart);
  const seconds = (performance.now() - start) / 1000;
  process.stdout.write(
    JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      ...detail,
    }),
  );
}

function run(mode: string, dir: string): Record<string, number> {
  return JSON.parse(
    execFileSync(process.execPath, [SELF, '--measure', mode, dir], { encoding: 'utf8', maxBuffer: 16 * MB }),
  ) as Record<string, number>;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--measure') return measure(process.argv[3]!, process.argv[4]!);
  const dir = await mkdtemp(join(tmpdir(), 'palisade-bench-image-'));
  try {
    if (process.argv[2] === '--keep') console.log(dir);
    const buildStart = performance.now();
    await buildLayout(dir);
    console.log(`built the image in ${((performance.now() - buildStart) / 1000).toFixed(1)} s (${dir})`);
    const rounds = 5;
    const baselines: Record<string, number>[] = [];
    const inventories: Record<string, number>[] = [];
    for (let i = 0; i < rounds; i++) {
      baselines.push(run('baseline', dir));
      inventories.push(run('inventory', dir));
    }
    const best = (results: Record<string, number>[], key: string): number =>
      Math.min(...results.map((result) => result[key]!));
    const median = (results: Record<string, number>[], key: string): number =>
      results.map((result) => result[key]!).sort((a, b) => a - b)[Math.floor(results.length / 2)]!;
    const { seconds: _s, cpuSeconds: _c, maxRssMb: _m, ...counts } = inventories[0]!;
    const line = (name: string, results: Record<string, number>[]): string =>
      `${name} wall ${best(results, 'seconds').toFixed(2)} s best / ${median(results, 'seconds').toFixed(2)} s median, cpu ${best(results, 'cpuSeconds').toFixed(2)} s best, peak RSS ${Math.max(...results.map((r) => r.maxRssMb!)).toFixed(0)} MB`;
    console.log(
      `uncompressed layers: ${(baselines[0]!.uncompressedBytes! / MB).toFixed(0)} MB in 5 layers; ${rounds} interleaved rounds, each in a fresh process`,
    );
    console.log(line('decompress + read only:', baselines));
    console.log(line('inventory:             ', inventories));
    console.log(`packages: ${JSON.stringify(counts)}`);
    console.log(
      `ratio inventory / baseline: wall ${(best(inventories, 'seconds') / best(baselines, 'seconds')).toFixed(2)}x (best) ${(median(inventories, 'seconds') / median(baselines, 'seconds')).toFixed(2)}x (median), cpu ${(best(inventories, 'cpuSeconds') / best(baselines, 'cpuSeconds')).toFixed(2)}x (target <= 1.5x)`,
    );
  } finally {
    if (process.argv[2] !== '--keep') await rm(dir, { recursive: true, force: true });
  }
}

await main();

// Benchmark: package inventory of a large image (over 500 MB uncompressed, thousands of files, hundreds of
// packages of eight types) against only decompressing and reading the same layers, in the same run: with Node's
// streams at the inventory's read and inflate block sizes (the target's baseline), through the inventory's own read
// path with nothing verified or parsed (what its work costs on top), and with Node's stream defaults.
// Each measurement runs in a fresh child process so peak memory (maxRSS) is its own; the three kinds are
// interleaved over several rounds, in reversed order every other round, and wall and CPU time are both
// reported as best and median, with the ratio also taken round by round, so that a noisy (shared, 2-core)
// machine skews every side alike.
//   node bench/image.ts [--rounds N] [--keep]   build the image under os.tmpdir(), measure, print, delete it
//                                                (--keep: print the directory and leave it there)
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { constants, createGunzip, createGzip } from 'node:zlib';
import { scanTarget } from '../src/image/index.ts';
import { INFLATE_CHUNK, openLayerTarFromReader } from '../src/image/layer-stream.ts';
import { directoryBlobStore } from '../src/image/oci-layout.ts';
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
  for (let i = 0; i < 2000; i++) yield { name: `srv/www/page-${i}.html`, content: textBlob(30_000) };
}

function* appLayer(): Generator<TarSpec> {
  for (let i = 0; i < 100; i++) {
    yield {
      name: `usr/local/bundle/specifications/gem-${i}-4.${i}.0.gemspec`,
      content: `Gem::Specification.new do |s|\n  s.name = "gem-${i}".freeze\n  s.version = "4.${i}.0"\n  s.licenses = ["MIT".freeze]\nend\n`,
    };
    for (let j = 0; j < 4; j++)
      yield { name: `usr/local/bundle/gems/gem-${i}-4.${i}.0/lib/part_${j}.rb`, content: textBlob(60_000) };
  }
  const composer = Array.from({ length: 80 }, (_, i) => ({
    name: `bench/php-${i}`,
    version: `5.${i}.0`,
    license: ['MIT'],
  }));
  yield { name: 'var/www/vendor/composer/installed.json', content: JSON.stringify({ packages: composer }) };
  for (let i = 0; i < 80; i++)
    for (let j = 0; j < 3; j++)
      yield { name: `var/www/vendor/bench/php-${i}/src/Class${j}.php`, content: textBlob(50_000) };
  const libraries: Record<string, unknown> = { 'App/1.0.0': { type: 'project' } };
  for (let i = 0; i < 50; i++) libraries[`Bench.Lib${i}/6.${i}.0`] = { type: 'package' };
  yield { name: 'srv/dotnet/App.deps.json', content: JSON.stringify({ libraries }) };
  for (let i = 0; i < 50; i++)
    yield { name: `srv/dotnet/Bench.Lib${i}.dll`, mode: 0o644, content: randomBytes(400_000) };
}

async function buildLayout(dir: string): Promise<void> {
  const layers: LayerOut[] = [];
  for (const make of [osLayer, nodeLayer, pythonLayer, binaryLayer, dataLayer, appLayer])
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

/** The layer descriptors of the layout's (only) image, read directly: the baselines parse nothing else. */
function layersOf(dir: string): { digest: string }[] {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
    manifests: { digest: string }[];
  };
  const manifest = JSON.parse(
    readFileSync(join(dir, 'blobs', 'sha256', index.manifests[0]!.digest.slice(7)), 'utf8'),
  ) as { layers: { digest: string }[] };
  return manifest.layers;
}

/** Child mode: one measurement, printed as JSON. */
async function measure(mode: string, dir: string): Promise<void> {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let detail: Record<string, number> = {};
  if (mode === 'baseline-same-path') {
    // The inventory's own read path (recycled read buffers, the same inflate blocks and read-ahead queue), with
    // nothing verified and no tar parsed: what is left of the inventory once its own work is taken away.
    const store = directoryBlobStore(dir);
    let bytes = 0;
    for (const layer of layersOf(dir)) {
      const tar = await openLayerTarFromReader(
        await store.openReader(`blobs/sha256/${layer.digest.slice(7)}`),
        {
          where: layer.digest,
          maxUncompressed: 2 ** 40,
        },
      );
      for await (const chunk of tar) bytes += chunk.length;
    }
    detail = { uncompressedBytes: bytes };
  } else if (mode === 'baseline' || mode === 'baseline-defaults') {
    let bytes = 0;
    for (const layer of layersOf(dir)) {
      const path = join(dir, 'blobs', 'sha256', layer.digest.slice(7));
      if (mode === 'baseline-defaults') {
        // Node's defaults (64 KiB reads, 16 KiB inflate blocks), read with for await: the naive way.
        for await (const chunk of createReadStream(path).pipe(createGunzip()))
          bytes += (chunk as Buffer).length;
        continue;
      }
      // The fastest plain read of the same blobs: the read size of the OCI layout blob store and the inflate
      // block of the inventory's layer stream, bytes counted as they come out (no hashing, no tar parsing).
      const gunzip = createReadStream(path, { highWaterMark: MB }).pipe(
        createGunzip({ chunkSize: INFLATE_CHUNK }),
      );
      gunzip.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      await finished(gunzip);
    }
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

type Result = Record<string, number>;

const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);
const best = (values: number[]): number => sorted(values)[0]!;
const median = (values: number[]): number => {
  const list = sorted(values);
  const middle = Math.floor(list.length / 2);
  return list.length % 2 === 1 ? list[middle]! : (list[middle - 1]! + list[middle]!) / 2;
};
const pick = (results: Result[], key: string): number[] => results.map((result) => result[key]!);

function line(name: string, results: Result[]): string {
  const wall = pick(results, 'seconds');
  const cpu = pick(results, 'cpuSeconds');
  const rss = pick(results, 'maxRssMb');
  return `${name} wall ${best(wall).toFixed(2)} s best / ${median(wall).toFixed(2)} s median, cpu ${best(cpu).toFixed(2)} s best / ${median(cpu).toFixed(2)} s median, peak RSS ${median(rss).toFixed(0)} MB median / ${Math.max(...rss).toFixed(0)} MB max`;
}

function ratios(key: string, baselines: Result[], inventories: Result[]): string {
  const base = pick(baselines, key);
  const inv = pick(inventories, key);
  const perRound = inv.map((value, i) => value / base[i]!);
  return `${(best(inv) / best(base)).toFixed(2)}x best/best, ${(median(inv) / median(base)).toFixed(2)}x median/median, ${median(perRound).toFixed(2)}x median of per-round ratios`;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--measure') return measure(process.argv[3]!, process.argv[4]!);
  const keep = process.argv.includes('--keep');
  const roundsAt = process.argv.indexOf('--rounds');
  const rounds = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 7;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a positive integer');
  const dir = await mkdtemp(join(tmpdir(), 'palisade-bench-image-'));
  try {
    if (keep) console.log(dir);
    const buildStart = performance.now();
    await buildLayout(dir);
    console.log(`built the image in ${((performance.now() - buildStart) / 1000).toFixed(1)} s (${dir})`);
    const loadBefore = loadavg()[0]!;
    const baselines: Result[] = [];
    const samePath: Result[] = [];
    const defaults: Result[] = [];
    const inventories: Result[] = [];
    const kinds: [string, Result[]][] = [
      ['baseline', baselines],
      ['baseline-same-path', samePath],
      ['baseline-defaults', defaults],
      ['inventory', inventories],
    ];
    run('baseline', dir); // warm-up: the page cache holds the blobs for every kind from here on
    for (let i = 0; i < rounds; i++) {
      // Order reversed every other round (ABC CBA ...): a drift in machine load affects every kind alike.
      for (const [mode, results] of i % 2 === 0 ? kinds : [...kinds].reverse()) results.push(run(mode, dir));
    }
    const { seconds: _s, cpuSeconds: _c, maxRssMb: _m, ...counts } = inventories[0]!;
    const bytes = baselines[0]!.uncompressedBytes!;
    console.log(
      `uncompressed layers: ${(bytes / MB).toFixed(0)} MiB (${(bytes / 1e6).toFixed(0)} MB) in 6 layers; ${rounds} interleaved rounds (order reversed every other round), each run in a fresh process; ${availableParallelism()} CPUs, load average ${loadBefore.toFixed(2)} before / ${loadavg()[0]!.toFixed(2)} after`,
    );
    console.log(line('decompress + read only, tuned:    ', baselines));
    console.log(line('inventory read path, no work:     ', samePath));
    console.log(line('decompress + read only, defaults: ', defaults));
    console.log(line('inventory:                        ', inventories));
    console.log(`packages: ${JSON.stringify(counts)}`);
    console.log(
      `ratio inventory / tuned baseline, wall: ${ratios('seconds', baselines, inventories)} (target <= 1.5x)`,
    );
    console.log(`ratio inventory / tuned baseline, cpu:  ${ratios('cpuSeconds', baselines, inventories)}`);
    console.log(`ratio inventory / own read path, wall:  ${ratios('seconds', samePath, inventories)}`);
    console.log(`ratio inventory / own read path, cpu:   ${ratios('cpuSeconds', samePath, inventories)}`);
    console.log(`ratio inventory / defaults baseline, wall: ${ratios('seconds', defaults, inventories)}`);
    console.log(`ratio inventory / defaults baseline, cpu:  ${ratios('cpuSeconds', defaults, inventories)}`);
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}

await main();

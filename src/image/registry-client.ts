// OCI Distribution client: manifests and blobs over HTTPS (verified by default), anonymous, Basic or bearer
// token auth as the registry's challenge asks, manifest lists/indexes resolved to one platform, every
// manifest, config and layer checked against its digest.
import { PalisadeError } from '../core/errors.ts';
import { isLoopback } from '../core/loopback.ts';
import { digestOf, verifyDigest } from './digest.ts';
import { credentialsFor, dockerConfigPath, readDockerConfig } from './docker-config.ts';
import {
  type HttpResponse,
  type RequestLimits,
  readBody,
  sendRequest,
  type TlsOptions,
} from './http-request.ts';
import { parseImageConfig } from './image-config.ts';
import {
  formatImageRef,
  type ImageRef,
  manifestReference,
  parseImageRef,
  registryApiHost,
} from './image-ref.ts';
import { type ImageSource, MAX_CONFIG_BYTES, MAX_MANIFEST_BYTES } from './image-source.ts';
import { ACCEPT_MANIFESTS, parseManifest } from './manifest.ts';
import { type Platform, selectPlatform } from './platform.ts';
import { basicHeader, type Credentials, fetchBearerToken, parseChallenge } from './registry-auth.ts';

export interface RegistryOptions {
  platform: Platform;
  /** Allow unverified TLS and plain HTTP for this image's registry host:port only (--insecure-registry). */
  insecure?: boolean;
  /** Extra CA certificates (PEM) to trust. */
  ca?: string;
  /** Explicit credentials; else looked up in the Docker config. */
  credentials?: Credentials;
  /** Docker config.json to read credentials from; default $DOCKER_CONFIG or ~/.docker. */
  dockerConfig?: string;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Time limits (defaults: DEFAULT_REGISTRY_LIMITS); tests shorten them. */
  limits?: Partial<RegistryLimits>;
}

export interface RegistryLimits {
  /** Manifests, configs, tokens: the whole response must arrive within this. */
  documentDeadlineMs: number;
  /** Any request: no byte for this long aborts it. */
  idleMs: number;
  /** Layer blobs: after `blobGraceMs`, every `blobWindowMs` must bring at least `blobMinBytes`. */
  blobGraceMs: number;
  blobWindowMs: number;
  blobMinBytes: number;
}

const DEFAULT_REGISTRY_LIMITS: RegistryLimits = {
  documentDeadlineMs: 120_000,
  idleMs: 60_000,
  blobGraceMs: 60_000,
  blobWindowMs: 60_000,
  blobMinBytes: 64 * 1024,
};

const MAX_REDIRECTS = 5;

export class RegistryClient {
  readonly #ref: ImageRef;
  readonly #options: RegistryOptions;
  readonly #limits: RegistryLimits;
  /** The one host (and port) --insecure-registry applies to. */
  readonly #insecureHost: URL | undefined;
  #base: URL | undefined;
  #authorization: string | undefined;
  #credentials: Credentials | undefined;
  #credentialsLoaded = false;

  constructor(ref: ImageRef, options: RegistryOptions) {
    this.#ref = ref;
    this.#options = options;
    this.#limits = { ...DEFAULT_REGISTRY_LIMITS, ...options.limits };
    this.#insecureHost =
      options.insecure === true ? new URL(`https://${registryApiHost(ref.registry)}/`) : undefined;
  }

  /** True for the registry named with --insecure-registry (same host; same port, when it has one). */
  #insecureFor(url: URL): boolean {
    const host = this.#insecureHost;
    if (host === undefined || url.hostname !== host.hostname) return false;
    return host.port === '' || url.port === host.port;
  }

  #tlsFor(url: URL): TlsOptions {
    return {
      insecure: this.#insecureFor(url),
      ...(this.#options.ca === undefined ? {} : { ca: this.#options.ca }),
    };
  }

  #documentLimits(what: string): RequestLimits {
    return {
      what: `${this.where}: ${what}`,
      idleMs: this.#limits.idleMs,
      deadlineMs: this.#limits.documentDeadlineMs,
    };
  }

  #blobLimits(what: string): RequestLimits {
    return {
      what: `${this.where}: ${what}`,
      idleMs: this.#limits.idleMs,
      minRate: {
        bytes: this.#limits.blobMinBytes,
        windowMs: this.#limits.blobWindowMs,
        graceMs: this.#limits.blobGraceMs,
      },
    };
  }

  get where(): string {
    return formatImageRef(this.#ref);
  }

  async #loadCredentials(): Promise<Credentials | undefined> {
    if (!this.#credentialsLoaded) {
      this.#credentialsLoaded = true;
      if (this.#options.credentials !== undefined) this.#credentials = this.#options.credentials;
      else {
        const path = this.#options.dockerConfig ?? dockerConfigPath(this.#options.env ?? process.env);
        this.#credentials = await credentialsFor(await readDockerConfig(path), this.#ref.registry, path);
      }
    }
    return this.#credentials;
  }

  /** https://host/v2/, or http:// when the user allowed an insecure registry that does not speak TLS. */
  async #baseUrl(): Promise<URL> {
    if (this.#base === undefined) this.#base = await this.#probeBase();
    return this.#base;
  }

  async #probeBase(): Promise<URL> {
    const host = registryApiHost(this.#ref.registry);
    const https = new URL(`https://${host}/v2/`);
    if (!this.#insecureFor(https)) return https;
    try {
      const probe = await sendRequest(
        https,
        {},
        this.#tlsFor(https),
        this.#options.signal,
        'GET',
        this.#documentLimits('probe'),
      );
      probe.body.resume();
      return https;
    } catch {
      return new URL(`http://${host}/v2/`);
    }
  }

  /** Secrets go over plain HTTP to loopback only, even with --insecure-registry. */
  async #refuseClearText(what: string): Promise<void> {
    const base = await this.#baseUrl();
    if (base.protocol !== 'https:' && !isLoopback(base.hostname))
      throw new PalisadeError(
        'input-unreadable',
        `${this.where}: refusing to send ${what} over plain HTTP to ${base.host} (--insecure-registry does not allow that; serve the registry over HTTPS, an unverified certificate is accepted with the flag)`,
      );
  }

  async #answerChallenge(response: HttpResponse): Promise<void> {
    const header = response.headers['www-authenticate'];
    const challenge = parseChallenge(Array.isArray(header) ? (header[0] ?? '') : (header ?? ''));
    const credentials = await this.#loadCredentials();
    if (challenge?.scheme === 'bearer') {
      // A token got with the user's credentials is worth what they are: not sent in clear text either. An
      // anonymous token (public pulls) carries nothing of the user's.
      if (credentials !== undefined) await this.#refuseClearText('a token obtained with your credentials');
      const token = await fetchBearerToken(
        challenge,
        `repository:${this.#ref.repository}:pull`,
        credentials,
        {
          registry: await this.#baseUrl(),
          tlsFor: (url) => this.#tlsFor(url),
          limits: this.#documentLimits('token'),
          ...(this.#options.signal === undefined ? {} : { signal: this.#options.signal }),
        },
      );
      this.#authorization = `Bearer ${token}`;
      return;
    }
    if (challenge?.scheme === 'basic') {
      if (credentials === undefined)
        throw new PalisadeError(
          'input-unreadable',
          `${this.where}: the registry asks for credentials and none are configured`,
        );
      await this.#refuseClearText('a password');
      this.#authorization = basicHeader(credentials);
      return;
    }
    throw new PalisadeError(
      'input-unreadable',
      `${this.where}: HTTP 401 without a usable WWW-Authenticate challenge`,
    );
  }

  /**
   * GET a registry path, answering one auth challenge from the registry itself and following redirects
   * (dropping auth across origins; a challenge from another origin is an error, never answered).
   */
  async get(path: string, accept: string, limits: RequestLimits): Promise<HttpResponse> {
    const base = await this.#baseUrl();
    for (let attempt = 0; attempt < 2; attempt++) {
      let url = new URL(path, base);
      let sameOrigin = true;
      for (let redirects = 0; ; redirects++) {
        const headers: Record<string, string> = { accept };
        if (sameOrigin && this.#authorization !== undefined) headers.authorization = this.#authorization;
        const response = await sendRequest(
          url,
          headers,
          this.#tlsFor(url),
          this.#options.signal,
          'GET',
          limits,
        );
        if ([301, 302, 303, 307, 308].includes(response.status)) {
          response.body.resume();
          const location = response.headers.location;
          if (location === undefined || redirects >= MAX_REDIRECTS)
            throw new PalisadeError('input-unreadable', `${this.where}: bad or endless redirect for ${path}`);
          const next = new URL(location, url);
          if (next.protocol === 'http:' && !this.#insecureFor(next))
            throw new PalisadeError(
              'input-unreadable',
              `${this.where}: refusing redirect to plain HTTP (${next.host}) for ${path}`,
            );
          sameOrigin &&= next.origin === base.origin;
          url = next;
          continue;
        }
        if (response.status === 401 && !sameOrigin) {
          response.body.resume();
          throw new PalisadeError(
            'input-unreadable',
            `${this.where}: ${path}: HTTP 401 from ${url.host} after a redirect away from the registry: not answering another host's challenge`,
          );
        }
        if (response.status === 401 && attempt === 0) {
          response.body.resume();
          await this.#answerChallenge(response);
          break;
        }
        return response;
      }
    }
    throw new PalisadeError('input-unreadable', `${this.where}: authentication failed`);
  }

  async #expectOk(response: HttpResponse, what: string): Promise<void> {
    if (response.status === 200) return;
    const body = await readBody(response, 64 * 1024, what).catch(() => Buffer.alloc(0));
    const detail = /"message"\s*:\s*"([^"]{0,200})"/.exec(body.toString('utf8'))?.[1];
    const code = response.status === 404 ? 'input-not-found' : 'input-unreadable';
    const hint = response.status === 401 || response.status === 403 ? ' (check credentials)' : '';
    throw new PalisadeError(
      code,
      `${this.where}: ${what}: HTTP ${response.status}${detail ? ` ${detail}` : ''}${hint}`,
    );
  }

  async manifest(reference: string): Promise<{ raw: Buffer; contentType: string; digest: string }> {
    const what = `manifest ${reference}`;
    const response = await this.get(
      `${this.#ref.repository}/manifests/${reference}`,
      ACCEPT_MANIFESTS,
      this.#documentLimits(what),
    );
    await this.#expectOk(response, what);
    const raw = await readBody(response, MAX_MANIFEST_BYTES, `${this.where} ${what}`);
    if (reference.includes(':')) verifyDigest(raw, reference, `${this.where} ${what}`);
    const digest = digestOf(raw);
    const announced = response.headers['docker-content-digest'];
    if (typeof announced === 'string' && announced.startsWith('sha256:') && announced !== digest)
      throw new PalisadeError(
        'input-unreadable',
        `${this.where}: ${what}: body does not match Docker-Content-Digest`,
      );
    return { raw, contentType: String(response.headers['content-type'] ?? ''), digest };
  }

  /** A blob: `config` (small, total deadline) or `layer` (streamed, minimum transfer rate). */
  async blob(digest: string, kind: 'config' | 'layer'): Promise<HttpResponse> {
    const what = `${kind} blob ${digest}`;
    const limits = kind === 'config' ? this.#documentLimits(what) : this.#blobLimits(what);
    const response = await this.get(`${this.#ref.repository}/blobs/${digest}`, '*/*', limits);
    await this.#expectOk(response, what);
    return response;
  }
}

export async function openRegistryImage(reference: string, options: RegistryOptions): Promise<ImageSource> {
  const ref = parseImageRef(reference);
  const client = new RegistryClient(ref, options);
  let { raw, contentType, digest } = await client.manifest(manifestReference(ref));
  let manifest = parseManifest(raw, `${client.where} manifest`, contentType);
  for (let depth = 0; manifest.kind === 'index'; depth++) {
    if (depth > 2) throw new PalisadeError('input-unreadable', `${client.where}: indexes nested too deeply`);
    const chosen = selectPlatform(manifest.entries, options.platform, client.where);
    ({ raw, contentType, digest } = await client.manifest(chosen.digest));
    manifest = parseManifest(
      raw,
      `${client.where} manifest ${chosen.digest}`,
      contentType || chosen.mediaType,
    );
  }
  const configResponse = await client.blob(manifest.config.digest, 'config');
  const configRaw = await readBody(configResponse, MAX_CONFIG_BYTES, `${client.where} config`);
  verifyDigest(configRaw, manifest.config.digest, `${client.where} config`);
  const config = parseImageConfig(configRaw, `${client.where} config`);
  if (config.diffIds.length !== manifest.layers.length)
    throw new PalisadeError(
      'input-unreadable',
      `${client.where}: manifest has ${manifest.layers.length} layers but the config lists ${config.diffIds.length}`,
    );
  return {
    target: reference,
    reference: formatImageRef(ref),
    manifestDigest: digest,
    configDigest: manifest.config.digest,
    config,
    annotations: manifest.annotations,
    layers: manifest.layers.map((layer, position) => {
      const entry = {
        digest: layer.digest,
        mediaType: layer.mediaType,
        diffId: config.diffIds[position]!,
        open: async () => (await client.blob(layer.digest, 'layer')).body,
      };
      return layer.size === undefined ? entry : { ...entry, size: layer.size };
    }),
    close: async () => {},
  };
}

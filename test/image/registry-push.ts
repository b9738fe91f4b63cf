// Pushes test images to a registry with the OCI Distribution API (monolithic blob uploads, manifests by tag
// or digest), over node:http(s) so a test CA can be trusted.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { BuiltImage } from './image-builder.ts';
import type { RunningRegistry } from './registry-server.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  ca: string | undefined,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        method,
        headers: { ...headers, 'content-length': String(body?.length ?? 0) },
        ...(ca === undefined ? {} : { ca }),
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => {
          text += String(chunk);
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

export class RegistryPusher {
  readonly #registry: RunningRegistry;
  readonly #repository: string;
  readonly #base: string;
  #authorization: string | undefined;

  constructor(registry: RunningRegistry, repository: string) {
    this.#registry = registry;
    this.#repository = repository;
    this.#base = `${registry.ca === undefined ? 'http' : 'https'}://${registry.host}/v2/${repository}`;
  }

  async #headers(extra: Record<string, string> = {}): Promise<Record<string, string>> {
    this.#authorization ??= await this.#registry.pushAuthorization(this.#repository);
    return this.#authorization === undefined ? extra : { ...extra, authorization: this.#authorization };
  }

  async blob(digest: string, data: Buffer): Promise<void> {
    const start = await send(
      new URL(`${this.#base}/blobs/uploads/`),
      'POST',
      await this.#headers(),
      undefined,
      this.#registry.ca,
    );
    if (start.status !== 202) throw new Error(`upload start: HTTP ${start.status} ${start.body}`);
    const location = new URL(String(start.headers.location), this.#base);
    location.searchParams.set('digest', digest);
    const done = await send(
      location,
      'PUT',
      await this.#headers({ 'content-type': 'application/octet-stream' }),
      data,
      this.#registry.ca,
    );
    if (done.status !== 201) throw new Error(`upload ${digest}: HTTP ${done.status} ${done.body}`);
  }

  async manifest(reference: string, mediaType: string, data: Buffer): Promise<void> {
    const reply = await send(
      new URL(`${this.#base}/manifests/${reference}`),
      'PUT',
      await this.#headers({ 'content-type': mediaType }),
      data,
      this.#registry.ca,
    );
    if (reply.status !== 201) throw new Error(`manifest ${reference}: HTTP ${reply.status} ${reply.body}`);
  }

  async image(image: BuiltImage, tag?: string): Promise<void> {
    for (const layer of image.layers) await this.blob(layer.digest, layer.blob);
    await this.blob(image.configDigest, image.config);
    await this.manifest(
      tag ?? image.manifestDigest,
      'application/vnd.oci.image.manifest.v1+json',
      image.manifest,
    );
  }
}

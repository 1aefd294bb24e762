// Request bodies are capped before anything parses them (API4, unrestricted resource consumption):
// by Content-Length when it is sent, else by counting the streamed bytes. Over the cap: 413. Where
// the server reads the body itself (Node, `Runtime.readBody`), it stops at the cap and the bytes it
// read are what the routes parse.
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../domain/errors.ts';
import type { AppEnv, Runtime } from '../context.ts';

export const MAX_BODY_BYTES = 16 * 1024;
/** Routes allowed more than MAX_BODY_BYTES (API.md: POST /api/logs takes up to 64 KiB). */
export const LARGER_BODIES: Record<string, number> = { '/api/logs': 64 * 1024 };

/** Decodes a whole body at once, as a Response's text() would (UTF-8, a byte order mark dropped). */
const utf8 = new TextDecoder();

/**
 * hono's body cache (`c.req.bodyCache`, where it keeps promises) for a body the server read: the
 * bytes first, what hono derives any other form from, then the text; each made when first asked
 * for (copying the bytes out of the buffer they were read into costs more than decoding them).
 */
class ReadBody {
  readonly #body: Uint8Array;
  #bytes: Promise<ArrayBuffer> | undefined;
  #text: Promise<string> | undefined;

  constructor(body: Uint8Array) {
    this.#body = body;
  }

  get arrayBuffer(): Promise<ArrayBuffer> {
    if (!this.#bytes) {
      const body = this.#body;
      const bytes = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
      this.#bytes = Promise.resolve(bytes);
    }
    return this.#bytes;
  }

  set arrayBuffer(bytes: Promise<ArrayBuffer>) {
    this.#bytes = bytes;
  }

  get text(): Promise<string> {
    this.#text ??= Promise.resolve(utf8.decode(this.#body));
    return this.#text;
  }

  set text(text: Promise<string>) {
    this.#text = text;
  }
}
// hono finds a cached form by `for…in`, which lists only enumerable properties (accessors of a class are not).
for (const form of ['arrayBuffer', 'text'])
  Object.defineProperty(ReadBody.prototype, form, { enumerable: true });

const tooLarge = (): never => {
  throw new AppError('PAYLOAD_TOO_LARGE', 'the request body is too large');
};
const general = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
const larger = new Map(
  Object.entries(LARGER_BODIES).map(([path, maxSize]) => [path, bodyLimit({ maxSize, onError: tooLarge })]),
);

/**
 * GET and HEAD carry no body here, so they are not looked at: hono's bodyLimit reads `raw.body`, and
 * on Node that alone builds the full undici Request behind @hono/node-server's light one. For the
 * same reason a body the server read itself goes straight into hono's body cache (the bytes, and the
 * text decoded as a Response's text() would), where `c.req.json()` and the validators find it.
 */
export const bodySize = (runtime: Runtime) =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (!runtime.readBody) return (larger.get(c.req.path) ?? general)(c, next);
    const body = await runtime.readBody(c, LARGER_BODIES[c.req.path] ?? MAX_BODY_BYTES).catch(() => {
      // The client went away mid-body: bad input, as a broken stream is to the validators.
      throw new AppError('VALIDATION_FAILED', 'the request body did not arrive whole');
    });
    if (!body) return tooLarge();
    c.req.bodyCache = new ReadBody(body) as unknown as typeof c.req.bodyCache;
    await next();
  });

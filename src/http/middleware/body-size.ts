// Request bodies are capped before anything parses them (API4, unrestricted resource consumption):
// by Content-Length when it is sent, else by counting the streamed bytes. Over the cap: 413.
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../domain/errors.ts';

export const MAX_BODY_BYTES = 16 * 1024;
/** Routes allowed more than MAX_BODY_BYTES (API.md: POST /api/logs takes up to 64 KiB). */
export const LARGER_BODIES: Record<string, number> = { '/api/logs': 64 * 1024 };

const tooLarge = (): never => {
  throw new AppError('PAYLOAD_TOO_LARGE', 'the request body is too large');
};
const general = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
const larger = new Map(
  Object.entries(LARGER_BODIES).map(([path, maxSize]) => [path, bodyLimit({ maxSize, onError: tooLarge })]),
);

/**
 * GET and HEAD carry no body here, so they are not looked at: hono's bodyLimit reads `raw.body`, and
 * on Node that alone builds the full undici Request behind @hono/node-server's light one.
 */
export const bodySize = createMiddleware(async (c, next) =>
  c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : (larger.get(c.req.path) ?? general)(c, next),
);

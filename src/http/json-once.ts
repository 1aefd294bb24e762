// A JSON answer for a value served many times over as it is. A seat map is what every client of a
// sale reads, and the seat coordinators keep it per version (each Worker isolate a copy for up to
// 250 ms, the Node and Deno coordinators until the next change); writing its seats out as JSON is
// most of what such a read costs. Each such value is serialized once, and kept while it lives.
import type { Context } from 'hono';
import type { TypedResponse } from 'hono/types';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JSONParsed } from 'hono/utils/types';

const serialized = new WeakMap<object, string>();

/** `c.json(value, status)`, with the serialization of `value` made once for every answer it is in. */
export function jsonOnce<T extends object, S extends ContentfulStatusCode>(
  c: Context,
  value: T,
  status: S,
): Response & TypedResponse<JSONParsed<T>, S, 'json'> {
  let body = serialized.get(value);
  if (body === undefined) {
    body = JSON.stringify(value);
    serialized.set(value, body);
  }
  // The same Content-Type as c.json; typed as c.json's answer, which it is byte for byte.
  const answer: Response = c.body(body, status, { 'Content-Type': 'application/json' });
  return answer as Response & TypedResponse<JSONParsed<T>, S, 'json'>;
}

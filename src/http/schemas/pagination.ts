// The list conventions of API.md: `?limit=` 1..100 (default 20), an opaque `?cursor=`, and
// `{items, nextCursor}` back.
import { z } from '@hono/zod-openapi';

export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .openapi({ param: { name: 'limit', in: 'query' }, example: 20 }),
  cursor: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' }, description: 'nextCursor of the previous page' }),
});

/** A page of `item`; `example` is one item, shown as a page of one. */
export const pageOf = <T extends z.ZodType>(item: T, name: string, example: z.input<T>) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().openapi({ description: 'null on the last page' }),
    })
    .openapi(name, { example: { items: [example], nextCursor: 'eyJrIjoiMjAyNS0wNi0wMSJ9' } });

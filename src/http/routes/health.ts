// GET /health: UP only when every component answers; 503 and DOWN as soon as one does not. A
// deployment missing a secret it needs (a Worker without JWT_SECRET) is DOWN, with the reason.
import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { missingSecrets } from '../../config/settings.ts';
import { createRouter } from '../openapi.ts';
import { json } from '../schemas/common.ts';

const Status = z.enum(['UP', 'DOWN']);
const Component = z.object({
  status: Status,
  reason: z.string().optional().openapi({ example: 'JWT_SECRET is not set' }),
});
const Health = z
  .object({
    status: Status,
    components: z.record(z.string(), Component),
  })
  .openapi('Health', {
    example: { status: 'UP', components: { database: { status: 'UP' }, seats: { status: 'UP' } } },
  });

const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Operations'],
  operationId: 'getHealth',
  summary: 'Liveness of the API and its components',
  description:
    'UP when every component answers within 3 s: `database` (Postgres), `seats` (the seat coordinator) and, on Node and Deno, `redis`. One that does not makes the answer 503 with `status: DOWN`. Not rate-limited.',
  'x-auth': 'public',
  responses: { 200: json(Health, 'Everything is up'), 503: json(Health, 'A component is down') },
});

const CHECK_TIMEOUT_MS = 3_000;

export const healthRoutes = createRouter().openapi(route, async (c) => {
  const runtime = c.get('runtime');
  const checks: Record<string, () => Promise<boolean>> = {
    database: async () => {
      await c.get('db')().execute(sql`select 1`);
      return true;
    },
    seats: () => runtime.seats.health(),
    ...runtime.healthChecks,
  };
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await withTimeout(check)] as const),
  );
  const components: z.infer<typeof Health>['components'] = Object.fromEntries(
    results.map(([name, up]) => [name, { status: up ? ('UP' as const) : ('DOWN' as const) }]),
  );
  // Shown only when something is missing: a configured deployment answers as it always has.
  const missing = missingSecrets(c.get('settings'));
  if (missing.length > 0)
    components.secrets = {
      status: 'DOWN',
      reason: `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`,
    };
  const up = results.every(([, ok]) => ok) && missing.length === 0;
  return c.json({ status: up ? 'UP' : 'DOWN', components }, up ? 200 : 503);
});

async function withTimeout(check: () => Promise<boolean>): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check().catch(() => false), timeout]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

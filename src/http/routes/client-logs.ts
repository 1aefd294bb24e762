// POST /api/logs (API.md, Operations): the web client's own log lines, written as structured logs
// with source "client", the caller (a valid bearer token's member, else null), the client IP and
// the request id. Anonymous callers are welcome, so the route is capped by size and by IP.
import { createRoute, z } from '@hono/zod-openapi';
import { log } from '../../log.ts';
import { bearerPrincipal } from '../middleware/auth.ts';
import { LIMITS, limitPerIp } from '../middleware/rate-limit.ts';
import { createRouter } from '../openapi.ts';
import { json, problem } from '../schemas/common.ts';

const ClientLogEntry = z
  .object({
    level: z.enum(['debug', 'info', 'warn', 'error']),
    message: z.string().min(1).max(2000).openapi({ example: 'seat map socket closed; reconnecting' }),
    context: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: 'Free-form fields; secrets and card numbers are masked' }),
  })
  .openapi('ClientLogEntry');
const ClientLogs = z.object({ entries: z.array(ClientLogEntry).min(1).max(50) }).openapi('ClientLogs', {
  example: {
    entries: [{ level: 'warn', message: 'seat map socket closed; reconnecting', context: { attempt: 2 } }],
  },
});
const Accepted = z
  .object({ accepted: z.number().int() })
  .openapi('ClientLogsAccepted', { example: { accepted: 1 } });

const route = createRoute({
  method: 'post',
  path: '/api/logs',
  tags: ['Operations'],
  operationId: 'writeClientLogs',
  summary: "The web client's log lines (1 to 50 per request, at most 64 KiB)",
  description:
    'Anybody may send; each entry becomes one structured log line with `source: "client"`, the caller (the member of a valid bearer token, else null), the client address and the request id. Secrets and card numbers in it are masked. Limited per client address (LOGS_PER_IP_PER_MINUTE).',
  'x-auth': 'public',
  middleware: [limitPerIp(LIMITS.clientLogs)] as const,
  request: { body: { required: true, content: { 'application/json': { schema: ClientLogs } } } },
  responses: {
    202: json(Accepted, 'Written to the logs'),
    400: problem('VALIDATION_FAILED', 'Not 1 to 50 well-formed entries'),
    413: problem('PAYLOAD_TOO_LARGE', 'The body is over 64 KiB; refused before it is read'),
    429: problem(
      'RATE_LIMITED',
      'Too many log requests from this address (LOGS_PER_IP_PER_MINUTE) or requests (REQUESTS_PER_IP_PER_MINUTE)',
    ),
  },
});

export const clientLogRoutes = createRouter().openapi(route, async (c) => {
  const { entries } = c.req.valid('json');
  const caller = (await bearerPrincipal(c))?.id ?? null;
  const fields = {
    source: 'client',
    caller,
    ip: c.get('runtime').clientIp(c),
    requestId: c.get('requestId'),
  };
  for (const entry of entries) log(entry.level, entry.message, { ...fields, context: entry.context });
  return c.json({ accepted: entries.length }, 202);
});

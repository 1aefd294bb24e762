// Baseline: the Node runtime's no-op route, a tiny Hono app on @hono/node-server (what Marquee's
// Node entry serves with). Started as its own process with PORT.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/noop', (c) => c.json({ ok: true }));
app.get('/health', (c) => c.json({ status: 'UP' }));

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
process.on('SIGTERM', () => server.close(() => process.exit(0)));

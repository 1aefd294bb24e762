// Baseline: the Workers runtime's no-op route, a tiny Hono app on workerd. Marquee's figures are
// given as ratios to it (the floor of HTTP + routing on this runtime).
import { Hono } from 'hono';

const app = new Hono();
app.get('/noop', (c) => c.json({ ok: true }));

export default app;

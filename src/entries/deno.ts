// `npm run start:deno` (production) and `npm run dev:deno` (`--dev`: embedded database, demo data,
// dev admin): Marquee under `deno serve`, WebSockets by hono's Deno helper.
import process from 'node:process';
import { getConnInfo, serveStatic, upgradeWebSocket } from 'hono/deno';
import { fail } from '../local/startup.ts';
import { type Standalone, startStandalone } from './standalone.ts';

let marquee: Standalone;
try {
  marquee = await startStandalone({
    runtime: 'deno',
    dev: process.argv.includes('--dev'),
    env: process.env,
    upgradeWebSocket: () => upgradeWebSocket,
    remoteAddress: (c) => getConnInfo(c).remote.address,
    serveStatic,
  });
} catch (error) {
  fail(error);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    await marquee.close();
    process.exit(0);
  });
}

export default {
  // The remote address is read now: Deno's info object refuses it once the request is closed
  // (after a WebSocket upgrade), and the request log asks for it at the end.
  fetch: (request: Request, info: Deno.ServeHandlerInfo) =>
    marquee.app.fetch(request, { remoteAddr: info.remoteAddr }),
};

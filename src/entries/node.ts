// `npm run start:node` (production) and `npm run dev:node` (`--dev`: embedded database, demo data,
// dev admin): Marquee on Node with @hono/node-server, WebSockets by @hono/node-ws, log lines
// written in batches (batched-stdio.ts).
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { createNodeWebSocket, type NodeWebSocket } from '@hono/node-ws';
import { batchedStdio } from '../adapters/logging/batched-stdio.ts';
import { fail } from '../local/startup.ts';
import { useLogWriter } from '../log.ts';
import { LIVE_MESSAGE_MAX_BYTES } from '../ports/seat-coordinator.ts';
import { startStandalone } from './standalone.ts';

let nodeWs: NodeWebSocket | undefined;
// One write per turn of the event loop for the request log, not one per line.
useLogWriter(batchedStdio());

try {
  const marquee = await startStandalone({
    runtime: 'node',
    dev: process.argv.includes('--dev'),
    env: process.env,
    upgradeWebSocket: () => {
      if (!nodeWs) throw new Error('WebSocket support is not ready yet');
      return nodeWs.upgradeWebSocket;
    },
    remoteAddress: (c) => getConnInfo(c).remote.address,
    serveStatic,
  });
  nodeWs = createNodeWebSocket({ app: marquee.app });
  // The live socket reads nothing but a ping: ws refuses (1009) a bigger frame before buffering it.
  nodeWs.wss.options.maxPayload = LIVE_MESSAGE_MAX_BYTES;
  const server = serve({ fetch: marquee.app.fetch, port: marquee.port, hostname: '0.0.0.0' }, (info) =>
    console.log(`Marquee (Node, Redis coordinator) is up on http://localhost:${info.port}`),
  );
  nodeWs.injectWebSocket(server);
  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(130);
    stopping = true;
    server.close();
    for (const client of nodeWs?.wss.clients ?? []) client.terminate();
    await marquee.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  fail(error);
}

// `npm run start:node` (production) and `npm run dev:node` (`--dev`: embedded database, demo data,
// dev admin): Marquee on Node with @hono/node-server (its WebSockets on a `ws` server), log lines
// written in batches (batched-stdio.ts). The server writes each answer's request id and fixed
// secure headers on the outgoing message before the app runs, and reads request bodies from the
// incoming message: through undici's Headers and Request they were most of a hold's cost here
// (docs/architecture.md, Known traps; docs/performance.md).
import type { IncomingMessage } from 'node:http';
import { type HttpBindings, serve, upgradeWebSocket } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { WebSocketServer } from 'ws';
import { batchedStdio } from '../adapters/logging/batched-stdio.ts';
import { fixedSecureHeaders, REQUEST_ID_HEADER, requestIdFor } from '../http/middleware/response-headers.ts';
import { fail } from '../local/startup.ts';
import { useLogWriter } from '../log.ts';
import { LIVE_MESSAGE_MAX_BYTES } from '../ports/seat-coordinator.ts';
import { startStandalone } from './standalone.ts';

// One write per turn of the event loop for the request log, not one per line.
useLogWriter(batchedStdio());

try {
  const secureHeadersFor = await fixedSecureHeaders();
  const marquee = await startStandalone({
    runtime: 'node',
    dev: process.argv.includes('--dev'),
    env: process.env,
    upgradeWebSocket: () => upgradeWebSocket,
    remoteAddress: (c) => getConnInfo(c).remote.address,
    serveStatic,
    readBody: (c, maxBytes) => readIncoming((c.env as HttpBindings).incoming, maxBytes),
    serverSetHeaders: {
      requestId: (c) =>
        (c.env as Partial<HttpBindings>).outgoing?.getHeader(REQUEST_ID_HEADER) as string | undefined,
    },
  });
  // The live socket reads nothing but a ping: ws refuses (1009) a bigger frame before buffering it.
  const sockets = new WebSocketServer({ noServer: true, maxPayload: LIVE_MESSAGE_MAX_BYTES });
  const server = serve(
    {
      fetch: (request, env) => {
        // HTTP/1.1: serve's default server. A WebSocket upgrade has no outgoing message: the app
        // sets its answer's headers itself.
        const { incoming, outgoing } = env as Partial<HttpBindings> & Pick<HttpBindings, 'incoming'>;
        if (outgoing) {
          for (const [name, value] of secureHeadersFor(pathOf(incoming.url ?? '/'))) {
            outgoing.setHeader(name, value);
          }
          const sent = incoming.headers[REQUEST_ID_HEADER];
          outgoing.setHeader(REQUEST_ID_HEADER, requestIdFor(typeof sent === 'string' ? sent : undefined));
        }
        return marquee.app.fetch(request, env);
      },
      port: marquee.port,
      hostname: '0.0.0.0',
      websocket: { server: sockets },
    },
    (info) => console.log(`Marquee (Node, Redis coordinator) is up on http://localhost:${info.port}`),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(130);
    stopping = true;
    server.close();
    for (const client of sockets.clients) client.terminate();
    await marquee.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  fail(error);
}

/** The path of a request target: origin-form (`/api/x?y`) as sent, absolute-form (a proxy's) parsed. */
function pathOf(target: string): string {
  return target.startsWith('/') ? (target.split('?', 1)[0] ?? '/') : (URL.parse(target)?.pathname ?? '/');
}

/**
 * A request's body from the incoming message itself, up to `maxBytes` (undefined past it: the rest
 * is left unread, for @hono/node-server to drain or drop, and the socket stays usable for the 413;
 * rejected if the client goes away first).
 * What was read is kept as `rawBody`, which @hono/node-server builds the Request's body from if
 * anything asks for it after.
 */
function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<Uint8Array | undefined> {
  const read = incoming as IncomingMessage & { rawBody?: Buffer };
  if (Number(incoming.headers['content-length'] ?? 0) > maxBytes) return Promise.resolve(undefined);
  if (incoming.readableEnded) return Promise.resolve(read.rawBody ?? Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= maxBytes) return void chunks.push(chunk);
      incoming.pause();
      stop();
      resolve(undefined);
    };
    const onEnd = () => {
      stop();
      read.rawBody = Buffer.concat(chunks, size);
      resolve(read.rawBody);
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onClose = () => onError(new Error('the request was closed before its body ended'));
    incoming.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

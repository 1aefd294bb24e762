// A WebSocket-to-TCP relay, the local stand-in for Neon's proxy: the Neon driver opens
// ws://relay/v1?address=host:port and the relay pipes the bytes to that Postgres. It only ever
// dials the one Postgres it was started for, so it is not an open proxy.

import type { AddressInfo } from 'node:net';
import { createConnection } from 'node:net';
import { WebSocketServer } from 'ws';

export interface Relay {
  port: number;
  /** host:port/v1, the value for PG_WS_PROXY */
  proxy: string;
  close(): Promise<void>;
}

export async function startRelay(target: { host: string; port: number }, port = 0): Promise<Relay> {
  const server = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.on('connection', (socket, request) => {
    const wanted = new URL(request.url ?? '/', 'http://relay').searchParams.get('address');
    const allowed = [`${target.host}:${target.port}`, `localhost:${target.port}`, `127.0.0.1:${target.port}`];
    if (wanted && !allowed.includes(wanted)) {
      socket.close(1008, 'address not allowed');
      return;
    }
    const tcp = createConnection({ host: target.host, port: target.port });
    tcp.setNoDelay(true);
    const pending: Buffer[] = [];
    let connected = false;
    tcp.on('connect', () => {
      connected = true;
      for (const chunk of pending.splice(0)) tcp.write(chunk);
    });
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const chunk = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (connected) tcp.write(chunk);
      else pending.push(chunk);
    });
    tcp.on('data', (chunk) => socket.send(chunk));
    tcp.on('error', () => socket.close(1011, 'database unreachable'));
    tcp.on('close', () => socket.close());
    socket.on('close', () => tcp.destroy());
    socket.on('error', () => tcp.destroy());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    port: actualPort,
    proxy: `127.0.0.1:${actualPort}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

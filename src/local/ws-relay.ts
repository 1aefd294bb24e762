// A WebSocket-to-TCP relay, the local stand-in for Neon's proxy: the Neon driver opens
// ws://relay/v1?address=host:port and the relay pipes the bytes to that Postgres. It only ever
// dials the one Postgres it was started for, so it is not an open proxy. When that Postgres wants
// TLS (a hosted one: sslmode in DATABASE_URL), the relay speaks TLS to it, the certificate checked,
// and the driver talks plain to the relay on 127.0.0.1 only: the Neon driver cannot do TLS itself
// over a plain WebSocket.
import { readFileSync } from 'node:fs';
import { type AddressInfo, createConnection, isIP, type Socket } from 'node:net';
import { type ConnectionOptions, connect as connectTls } from 'node:tls';
import { WebSocketServer } from 'ws';

/** The URL parameters about TLS: the relay acts on them, the driver behind it must not. */
const TLS_PARAMS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'channel_binding', 'uselibpqcompat'];
/** Postgres's SSLRequest: length 8, code 80877103. */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]);

export interface RelayTarget {
  host: string;
  port: number;
  /** TLS to Postgres; the certificate is verified against Node's public CAs or `ca`. */
  tls?: ConnectionOptions;
}

/** Where a relay for this URL dials, and with which TLS (any sslmode but disable asks for it). */
export function relayTarget(databaseUrl: string): RelayTarget {
  const url = new URL(databaseUrl);
  const mode = url.searchParams.get('sslmode');
  const rootCert = url.searchParams.get('sslrootcert');
  return {
    host: url.hostname || '127.0.0.1',
    port: Number(url.port || 5432),
    tls: mode && mode !== 'disable' ? (rootCert ? { ca: readFileSync(rootCert, 'utf8') } : {}) : undefined,
  };
}

/** The URL the driver behind a relay uses: the same database, TLS left to the relay. */
export function behindRelay(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  for (const name of TLS_PARAMS) url.searchParams.delete(name);
  return url.toString();
}

/** A connection to the target, through the SSLRequest handshake and TLS when it asks for them. */
async function dial(target: RelayTarget): Promise<Socket> {
  const tcp = createConnection({ host: target.host, port: target.port });
  tcp.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    tcp.once('connect', resolve);
    tcp.once('error', reject);
  });
  if (!target.tls) return tcp;
  tcp.write(SSL_REQUEST);
  const answer = await new Promise<Buffer>((resolve, reject) => {
    tcp.once('data', resolve);
    tcp.once('error', reject);
    tcp.once('close', () => reject(new Error('the server closed the connection')));
  });
  if (answer[0] !== 0x53) {
    tcp.destroy();
    throw new Error('the server does not support SSL connections');
  }
  const secure = connectTls({
    socket: tcp,
    ...(isIP(target.host) ? {} : { servername: target.host }),
    ...target.tls,
  });
  await new Promise<void>((resolve, reject) => {
    secure.once('secureConnect', resolve);
    secure.once('error', reject);
  });
  return secure;
}

export interface Relay {
  port: number;
  /** host:port/v1, the value for PG_WS_PROXY */
  proxy: string;
  close(): Promise<void>;
}

export async function startRelay(target: RelayTarget, port = 0): Promise<Relay> {
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
    const pending: Buffer[] = [];
    let upstream: Socket | undefined;
    let closed = false;
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const chunk = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (upstream) upstream.write(chunk);
      else pending.push(chunk);
    });
    socket.on('close', () => {
      closed = true;
      upstream?.destroy();
    });
    socket.on('error', () => upstream?.destroy());
    dial(target).then(
      (connection) => {
        if (closed) return void connection.destroy();
        upstream = connection;
        for (const chunk of pending.splice(0)) connection.write(chunk);
        connection.on('data', (chunk) => socket.send(chunk));
        connection.on('error', () => socket.close(1011, 'database unreachable'));
        connection.on('close', () => socket.close());
      },
      (error: unknown) => socket.close(1011, `database unreachable: ${String(error)}`.slice(0, 120)),
    );
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

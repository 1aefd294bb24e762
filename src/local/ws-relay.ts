// A WebSocket-to-TCP relay, the local stand-in for Neon's proxy: the Neon driver opens
// ws://relay/v1?address=host:port and the relay pipes the bytes to that Postgres. It only ever
// dials the one Postgres it was started for, so it is not an open proxy. When that Postgres wants
// TLS (a hosted one: sslmode in DATABASE_URL), the relay speaks TLS to it, the certificate checked,
// and the driver talks plain to the relay on 127.0.0.1 only: the Neon driver cannot do TLS itself
// over a plain WebSocket. With `pool`, it also stands in for Hyperdrive's pooling: a session a
// driver is done with is reset and handed to the next (SessionPool), so a Worker's connection per
// request does not cost a new Postgres backend each time.
import { readFileSync } from 'node:fs';
import { type AddressInfo, createConnection, isIP, type Socket } from 'node:net';
import { type ConnectionOptions, connect as connectTls } from 'node:tls';
import { type WebSocket, WebSocketServer } from 'ws';

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
  /** Postgres sessions kept idle for the next driver. */
  kept(): number;
  close(): Promise<void>;
}

export interface RelayOptions {
  port?: number;
  /**
   * Keep a driver's Postgres session when it is done with it and hand it, reset, to the next driver
   * that asks for the same one (SessionPool): what Hyperdrive does on Cloudflare, so a Worker's
   * connection per request costs here what it costs there. Off: each driver gets a session of its
   * own, closed with it (the embedded database, which takes one connection at a time).
   */
  pool?: boolean;
}

export async function startRelay(target: RelayTarget, options: RelayOptions = {}): Promise<Relay> {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: options.port ?? 0,
    perMessageDeflate: false,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const sessions = new SessionPool(target, options.pool ? KEEP_AT_MOST : 0);
  server.on('connection', (socket, request) => {
    const wanted = new URL(request.url ?? '/', 'http://relay').searchParams.get('address');
    const allowed = [`${target.host}:${target.port}`, `localhost:${target.port}`, `127.0.0.1:${target.port}`];
    if (wanted && !allowed.includes(wanted)) {
      socket.close(1008, 'address not allowed');
      return;
    }
    new Session(socket, sessions);
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    port: actualPort,
    proxy: `127.0.0.1:${actualPort}/v1`,
    kept: () => sessions.size(),
    close: () =>
      new Promise<void>((resolve) => {
        sessions.close();
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

/** Idle sessions kept per startup message, and for how long. */
const KEEP_AT_MOST = 32;
const KEEP_MS = 10_000;
/** How long a kept session may take to reset before it is closed instead. */
const RESET_MS = 5_000;
/** The protocol version of a StartupMessage (3.0); SSLRequest and CancelRequest carry other codes. */
const PROTOCOL_3 = 196_608;
const AUTHENTICATION = 0x52; // R
const READY_FOR_QUERY = 0x5a; // Z
const ERROR_RESPONSE = 0x45; // E
const QUERY = 0x51; // Q
const SYNC = 0x53; // S
const TERMINATE = 0x58; // X
const IDLE = 0x49; // I: ReadyForQuery's status outside a transaction
const TERMINATE_MESSAGE = Buffer.from([TERMINATE, 0, 0, 0, 4]);

/** A simple-protocol Query message. */
function query(text: string): Buffer {
  const body = Buffer.from(`${text}\0`, 'utf8');
  const head = Buffer.alloc(5);
  head[0] = QUERY;
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/**
 * Follows a stream of Postgres messages (a type byte, then a length that counts itself) as it
 * arrives in chunks, without copying it: `visit` gets each message's type, the first byte of its
 * body (ReadyForQuery's transaction status; -1 if none) and where it starts in the chunk (negative
 * when its header began in an earlier chunk).
 */
export class MessageScanner {
  /** Bytes of the current message still to come in later chunks. */
  private skip = 0;
  /** A header cut by the end of a chunk. */
  private carry: Buffer | undefined;

  scan(chunk: Buffer, visit: (type: number, first: number, at: number) => void): void {
    let data = chunk;
    let base = 0;
    if (this.carry) {
      data = Buffer.concat([this.carry, chunk]);
      base = -this.carry.length;
      this.carry = undefined;
    }
    let at = this.skip;
    while (at < data.length) {
      const left = data.length - at;
      const length = left >= 5 ? data.readInt32BE(at + 1) : 0;
      if (left < 5 || (left < 6 && length > 4)) {
        this.carry = Buffer.from(data.subarray(at));
        this.skip = 0;
        return;
      }
      visit(data[at] as number, length > 4 ? (data[at + 5] as number) : -1, base + at);
      at += 1 + length;
    }
    this.skip = at - data.length;
  }
}

/** Where the first ReadyForQuery of a server's greeting ends, or -1 while it has not all come. */
function greetingEnd(data: Buffer): number {
  let at = 0;
  while (at + 5 <= data.length) {
    const end = at + 1 + data.readInt32BE(at + 1);
    if (end > data.length) return -1;
    if (data[at] === READY_FOR_QUERY) return end;
    at = end;
  }
  return -1;
}

/** Lets a Postgres socket go: its listeners off (an 'error' still has one), then closed. */
function discard(server: Socket): void {
  server.removeAllListeners();
  server.on('error', () => {});
  server.destroy();
}

interface KeptSession {
  server: Socket;
  /** What Postgres answered the startup with, up to ReadyForQuery: replayed to the next driver. */
  greeting: Buffer;
  timer: NodeJS.Timeout;
}

/**
 * Postgres sessions a driver is done with, kept for the next driver that sends the same startup
 * message (user, database, options), as pgbouncer's session pooling does: reset first with its
 * `server_reset_query` (ROLLBACK when a transaction was left open, then DISCARD ALL: settings,
 * prepared statements, temporary tables, advisory locks and LISTENs all go). Only a session that
 * Postgres let in without a password is kept: a driver that would be asked for one gets a session
 * of its own, so the pool never lets in someone Postgres itself would have asked. A kept session is
 * closed after KEEP_MS idle, when Postgres says anything unasked (as it does when it shuts down), or
 * when its socket closes.
 */
class SessionPool {
  private readonly kept = new Map<string, KeptSession[]>();
  private closed = false;

  readonly target: RelayTarget;
  private readonly keepAtMost: number;

  constructor(target: RelayTarget, keepAtMost: number) {
    this.target = target;
    this.keepAtMost = keepAtMost;
  }

  take(key: string): KeptSession | undefined {
    const session = this.kept.get(key)?.pop();
    if (!session) return undefined;
    clearTimeout(session.timer);
    session.server.removeAllListeners();
    session.server.ref();
    return session;
  }

  /** A driver is done with its session: reset it and keep it, or close it. */
  giveBack(server: Socket, key: string, greeting: Buffer, status: number, clean: boolean): void {
    // Given up mid-statement: nothing can be trusted of it, not even the end of its last message.
    if (!clean) return void discard(server);
    server.removeAllListeners();
    server.on('error', () => {});
    if (this.closed || this.count(key) >= this.keepAtMost || server.destroyed)
      return void server.end(TERMINATE_MESSAGE);
    const resets = status === IDLE ? [query('DISCARD ALL')] : [query('ROLLBACK'), query('DISCARD ALL')];
    let awaited = resets.length;
    let failed = false;
    const answers = new MessageScanner();
    const drop = () => {
      clearTimeout(timer);
      discard(server);
    };
    const timer = setTimeout(drop, RESET_MS);
    server.on('close', drop);
    server.on('data', (chunk: Buffer) =>
      answers.scan(chunk, (type) => {
        if (type === ERROR_RESPONSE) failed = true;
        if (type !== READY_FOR_QUERY || --awaited > 0) return;
        if (failed || this.closed || this.count(key) >= this.keepAtMost) return drop();
        clearTimeout(timer);
        this.keep(server, key, greeting);
      }),
    );
    server.write(Buffer.concat(resets));
  }

  size(): number {
    let size = 0;
    for (const sessions of this.kept.values()) size += sessions.length;
    return size;
  }

  close(): void {
    this.closed = true;
    for (const sessions of this.kept.values())
      for (const session of sessions.splice(0)) {
        clearTimeout(session.timer);
        discard(session.server);
      }
  }

  private keep(server: Socket, key: string, greeting: Buffer): void {
    server.removeAllListeners();
    const sessions = this.kept.get(key) ?? [];
    this.kept.set(key, sessions);
    const session: KeptSession = {
      server,
      greeting,
      timer: setTimeout(() => forget(), KEEP_MS),
    };
    const forget = () => {
      clearTimeout(session.timer);
      const index = sessions.indexOf(session);
      if (index >= 0) sessions.splice(index, 1);
      discard(server);
    };
    // Kept sessions do not keep the process alive.
    session.timer.unref();
    server.unref();
    server.on('data', forget);
    server.on('error', forget);
    server.on('close', forget);
    sessions.push(session);
  }

  private count(key: string): number {
    return this.kept.get(key)?.length ?? 0;
  }
}

/**
 * One driver's WebSocket and the Postgres session behind it. The relay reads the startup message,
 * takes a kept session for it or dials a new one, and from then on passes the bytes through,
 * following the message boundaries only to know when the session is quiet (every Query and Sync
 * answered by ReadyForQuery) and to catch the driver's Terminate, which ends the driver's use of
 * the session rather than the session. A session given up while a statement is under way, or any
 * session of a driver that did not start with a StartupMessage (a CancelRequest), is closed.
 */
class Session {
  private phase: 'startup' | 'greeting' | 'open' | 'plain' | 'over' = 'startup';
  /** The driver's bytes not yet written to Postgres. */
  private readonly queued: Buffer[] = [];
  private received: Buffer = Buffer.alloc(0);
  private key = '';
  private server: Socket | undefined;
  private greeting: Buffer = Buffer.alloc(0);
  private readonly fromDriver = new MessageScanner();
  private readonly fromServer = new MessageScanner();
  /** Query and Sync messages not yet answered by ReadyForQuery. */
  private awaited = 0;
  /** Extended-protocol messages sent since the last Sync. */
  private unsynced = false;
  private status = IDLE;

  private readonly driver: WebSocket;
  private readonly pool: SessionPool;

  constructor(driver: WebSocket, pool: SessionPool) {
    this.driver = driver;
    this.pool = pool;
    driver.on('message', (data: Buffer | ArrayBuffer | Buffer[]) =>
      this.fromDriverChunk(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)),
    );
    driver.on('close', () => this.release());
    driver.on('error', () => this.release());
  }

  private fromDriverChunk(chunk: Buffer): void {
    if (this.phase === 'startup') this.readStartup(chunk);
    else if (this.phase === 'open') this.forward(chunk);
    else if (this.phase === 'plain' && this.server) this.server.write(chunk);
    else if (this.phase !== 'over') this.queued.push(chunk);
  }

  private readStartup(chunk: Buffer): void {
    this.received = Buffer.concat([this.received, chunk]);
    if (this.received.length < 8) return;
    const length = this.received.readInt32BE(0);
    if (this.received.length < length) return;
    const startup = this.received.subarray(0, length);
    if (this.received.length > length) this.queued.push(this.received.subarray(length));
    this.received = Buffer.alloc(0);
    if (length < 8 || startup.readInt32BE(4) !== PROTOCOL_3) {
      this.phase = 'plain';
      this.dial(startup);
      return;
    }
    this.key = startup.toString('latin1');
    const kept = this.pool.take(this.key);
    if (!kept) {
      this.phase = 'greeting';
      this.dial(startup);
      return;
    }
    this.server = kept.server;
    this.greeting = kept.greeting;
    this.listen(kept.server);
    this.driver.send(kept.greeting);
    this.open();
  }

  private dial(first: Buffer): void {
    dial(this.pool.target).then(
      (server) => {
        if (this.phase === 'over') return void server.destroy();
        this.server = server;
        this.listen(server);
        server.write(first);
        if (this.phase === 'plain') for (const chunk of this.queued.splice(0)) server.write(chunk);
      },
      (error: unknown) => {
        this.phase = 'over';
        this.driver.close(1011, `database unreachable: ${String(error)}`.slice(0, 120));
      },
    );
  }

  private listen(server: Socket): void {
    server.on('data', (chunk: Buffer) => this.fromServerChunk(chunk));
    server.on('error', () => this.serverGone(1011, 'database unreachable'));
    server.on('close', () => this.serverGone());
  }

  private fromServerChunk(chunk: Buffer): void {
    if (this.phase === 'greeting') {
      this.readGreeting(chunk);
      return;
    }
    if (this.phase === 'open')
      this.fromServer.scan(chunk, (type, first) => {
        if (type !== READY_FOR_QUERY) return;
        this.awaited = Math.max(0, this.awaited - 1);
        this.status = first;
      });
    this.driver.send(chunk);
  }

  /** Postgres's answer to a new session's startup: kept whole when it let the driver in at once. */
  private readGreeting(chunk: Buffer): void {
    const data = Buffer.concat([this.greeting, chunk]);
    if (data.length < 9) {
      this.greeting = data;
      return;
    }
    if (data[0] !== AUTHENTICATION || data.readInt32BE(5) !== 0) {
      // A password asked for, or an error: this driver's session is its own.
      this.phase = 'plain';
      this.greeting = Buffer.alloc(0);
      this.driver.send(data);
      for (const queued of this.queued.splice(0)) this.server?.write(queued);
      return;
    }
    const end = greetingEnd(data);
    if (end < 0) {
      this.greeting = data;
      return;
    }
    this.greeting = Buffer.from(data.subarray(0, end));
    this.driver.send(data);
    if (end < data.length) this.fromServer.scan(data.subarray(end), () => {});
    this.open();
  }

  private open(): void {
    this.phase = 'open';
    for (const chunk of this.queued.splice(0)) this.forward(chunk);
  }

  private forward(chunk: Buffer): void {
    let terminate = -1;
    this.fromDriver.scan(chunk, (type, _first, at) => {
      if (type === QUERY || type === SYNC) {
        this.awaited += 1;
        this.unsynced = false;
      } else if (type === TERMINATE) {
        // A Terminate whose header began in the last chunk has partly gone to Postgres already.
        if (at < 0) this.unsynced = true;
        terminate = Math.max(0, at);
      } else this.unsynced = true;
    });
    if (terminate < 0) return void this.server?.write(chunk);
    if (terminate > 0) this.server?.write(chunk.subarray(0, terminate));
    this.release();
    this.driver.close();
  }

  /** The driver is done (Terminate, or its WebSocket closed): its session goes back or is closed. */
  private release(): void {
    if (this.phase === 'over') return;
    const open = this.phase === 'open';
    this.phase = 'over';
    const server = this.server;
    if (!server) return;
    if (!open) return void discard(server);
    const quiet = this.awaited === 0 && !this.unsynced;
    this.pool.giveBack(server, this.key, this.greeting, this.status, quiet);
  }

  private serverGone(code?: number, reason?: string): void {
    if (this.phase === 'over') return;
    this.phase = 'over';
    this.server?.destroy();
    this.driver.close(code, reason);
  }
}

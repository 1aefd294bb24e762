// A TCP proxy in front of Postgres that counts round trips: the bench points Marquee's DATABASE_URL
// at it, whatever driver or relay Marquee uses behind. It reads the client's side of the wire
// protocol (the startup packet, then typed messages) and counts every message after which a client
// waits for the server: Sync (extended protocol) and Query (simple protocol). An SSL request is
// refused ('N'), so the bytes stay readable; the bench talks plain TCP on this machine anyway.
// The bench runs it in a process of its own (startPgCounterProcess, pg-counter-host.ts): in the load
// generator's process every Postgres message of the server under test would wait for that event
// loop, as busy as the VUs and watchers make it.
import { fork } from 'node:child_process';
import { type AddressInfo, createConnection, createServer, type Socket } from 'node:net';
import { join } from 'node:path';

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;

export interface PgCounter {
  /** The URL to hand to Marquee: `databaseUrl` with this proxy's host and port. */
  url: string;
  /** Round trips (Sync + Query messages) seen so far, on every connection. */
  roundTrips(): Promise<number>;
  close(): Promise<void>;
}

/** The counter in a child process (pg-counter-host.ts), asked for its count over IPC. */
export async function startPgCounterProcess(databaseUrl: string): Promise<PgCounter> {
  const child = fork(join(import.meta.dirname, 'pg-counter-host.ts'), [databaseUrl], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: { type: string; value: T }) => {
        if (message.type !== type) return;
        child.off('exit', onExit);
        child.off('message', onMessage);
        resolve(message.value);
      };
      const onExit = (code: number | null) => {
        child.off('message', onMessage);
        reject(new Error(`the Postgres round-trip counter exited (${code})`));
      };
      child.on('message', onMessage).once('exit', onExit);
    });
  const url = await next<string>('ready');
  return {
    url,
    roundTrips() {
      const count = next<number>('count');
      child.send({ type: 'count' });
      return count;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (child.connected) child.send({ type: 'stop' });
      else child.kill();
      await exited;
    },
  };
}

export async function startPgCounter(databaseUrl: string): Promise<PgCounter> {
  const target = new URL(databaseUrl);
  const host = target.hostname || '127.0.0.1';
  const port = Number(target.port || 5432);
  let roundTrips = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host, port });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client).add(upstream);
    const reader = new FrontendReader((type) => {
      if (type === 0x53 || type === 0x51) roundTrips++; // 'S' Sync, 'Q' Query
    });
    client.on('data', (chunk: Buffer) => {
      const refused = reader.push(chunk);
      if (refused) client.write('N');
      const forward = reader.take();
      if (forward.length > 0) upstream.write(forward);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    roundTrips: async () => roundTrips,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Splits what a client sends into messages, counting each typed one. SSL and GSS encryption
 * requests are swallowed (the caller answers 'N'); everything else is passed on unchanged.
 */
export class FrontendReader {
  #buffer: Buffer = Buffer.alloc(0);
  #out: Buffer[] = [];
  #started = false;
  readonly #onMessage: (type: number) => void;

  constructor(onMessage: (type: number) => void) {
    this.#onMessage = onMessage;
  }

  /** Takes in bytes; true when an encryption request was refused and the client expects 'N'. */
  push(chunk: Buffer): boolean {
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    let refused = false;
    for (;;) {
      if (!this.#started) {
        if (this.#buffer.length < 8) break;
        const length = this.#buffer.readInt32BE(0);
        if (this.#buffer.length < length) break;
        const code = this.#buffer.readInt32BE(4);
        const packet = this.#buffer.subarray(0, length);
        this.#buffer = this.#buffer.subarray(length);
        if (length === 8 && (code === SSL_REQUEST || code === GSS_REQUEST)) {
          refused = true;
          continue;
        }
        this.#started = true;
        this.#out.push(packet);
        continue;
      }
      if (this.#buffer.length < 5) break;
      const length = this.#buffer.readInt32BE(1) + 1;
      if (this.#buffer.length < length) break;
      this.#onMessage(this.#buffer[0] ?? 0);
      this.#out.push(this.#buffer.subarray(0, length));
      this.#buffer = this.#buffer.subarray(length);
    }
    return refused;
  }

  /** The whole messages read since the last call, to forward. */
  take(): Buffer {
    const out = Buffer.concat(this.#out);
    this.#out = [];
    return out;
  }
}

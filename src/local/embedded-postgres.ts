// The embedded development database: PGlite (Postgres compiled to WASM) with btree_gist, its files
// under DATA_DIR, served over the Postgres wire protocol on a free port. PGlite is one session; every
// connection to it takes turns on that session (pglite-socket's connection handlers, with a turn-taking
// queue of this file's): a connection keeps the session from its first message until a Sync or a
// simple Query leaves it outside a transaction, so no other connection's messages land between its
// Parse and its Sync or inside its transaction. Named prepared statements are still shared: Marquee
// names none on it (local/database.ts).
import { mkdir } from 'node:fs/promises';
import type { AddressInfo, Socket } from 'node:net';
import { createServer } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  host: string;
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** `dataDir` undefined keeps the database in memory (tests). */
export async function startEmbeddedPostgres(dataDir?: string): Promise<EmbeddedPostgres> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir, extensions: { btree_gist } });
  const turns = new SessionTurns(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const server = createServer((socket: Socket) => {
    const handler = new PGLiteSocketHandler({
      queryQueue: turns as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'],
      closeOnDetach: true,
    });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    void handler.attach(socket);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  return {
    host: '127.0.0.1',
    port,
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await Promise.all([...handlers].map((handler) => handler.detach(true)));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

interface Turn {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

/** The startup message: length, then protocol 3.0 (no type byte). */
const isStartup = (message: Uint8Array) =>
  message.length >= 8 && new DataView(message.buffer, message.byteOffset).getInt32(4) === 196_608;
/** Sync ('S') and simple Query ('Q') end a batch: Postgres answers ReadyForQuery after them. */
const endsBatch = (message: Uint8Array) => message[0] === 0x53 || message[0] === 0x51;

/**
 * The queue pglite-socket's handlers hand their messages to (its own QueryQueueManager's shape):
 * one message at a time on the one session, and the session is a connection's from its first
 * message until it stands idle again after a batch (or the connection goes, its transaction rolled
 * back).
 */
class SessionTurns {
  readonly #db: PGlite;
  readonly #queue: Turn[] = [];
  #holder: number | null = null;
  /** The holder's connection went while one of its messages ran. */
  #abandoned = false;
  #running = false;

  constructor(db: PGlite) {
    this.#db = db;
  }

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ handlerId, message, onData, resolve, reject });
      void this.#run();
    });
  }

  getQueueLength(): number {
    return this.#queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      const turn = this.#queue[i] as Turn;
      if (turn.handlerId !== handlerId) continue;
      this.#queue.splice(i, 1);
      turn.reject(new Error('connection closed'));
    }
  }

  /** A connection that went while it held the session: its transaction is rolled back, the session freed. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.#holder !== handlerId) return;
    // A message of its is running (a BEGIN, say): the run loop lets go once it has finished.
    if (this.#running) {
      this.#abandoned = true;
      return;
    }
    await this.#letGo();
    void this.#run();
  }

  async #letGo(): Promise<void> {
    if (this.#db.isInTransaction()) await this.#db.exec('ROLLBACK');
    this.#holder = null;
    this.#abandoned = false;
  }

  async #run(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      for (;;) {
        const index =
          this.#holder === null ? 0 : this.#queue.findIndex((turn) => turn.handlerId === this.#holder);
        if (index < 0 || index >= this.#queue.length) return; // the holder has more to send, or none waits
        const [turn] = this.#queue.splice(index, 1) as [Turn];
        this.#holder = turn.handlerId;
        let bytes = 0;
        try {
          await this.#db.runExclusive(() =>
            this.#db.execProtocolRawStream(turn.message, {
              onRawData: (data) => {
                bytes += data.length;
                turn.onData(data);
              },
            }),
          );
        } catch (error) {
          turn.reject(error);
          if (this.#abandoned) await this.#letGo();
          continue;
        }
        if (this.#abandoned) await this.#letGo();
        else if (isStartup(turn.message) || (endsBatch(turn.message) && !this.#db.isInTransaction()))
          this.#holder = null;
        turn.resolve(bytes);
      }
    } finally {
      this.#running = false;
    }
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

// The embedded database under concurrent connections, as `npm test` without DATABASE_URL and
// `npm run dev` use it: PGlite is one session, and the connections that take turns on it must each
// get their own statements' answers and keep their transactions whole. Spoken to message by message
// (the way a Worker's driver may send them, each alone), through the relay with the Neon driver, and
// with node-postgres over TCP.
import { createConnection, type Socket } from 'node:net';
import { neonConfig } from '@neondatabase/serverless';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Database } from '../../src/adapters/db/client.ts';
import { rowsOf } from '../../src/adapters/db/statements.ts';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../../src/local/embedded-postgres.ts';
import { type Relay, startRelay } from '../../src/local/ws-relay.ts';

let embedded: EmbeddedPostgres;
let relay: Relay;
let tcp: pg.Pool;
const coalescing = neonConfig.coalesceWrites;

beforeAll(async () => {
  // Every message a frame of its own (the driver otherwise gathers a tick's writes into one), as
  // they can arrive from a Worker: the widest opening for another connection's messages.
  neonConfig.coalesceWrites = false;
  embedded = await startEmbeddedPostgres();
  relay = await startRelay({ host: embedded.host, port: embedded.port });
  tcp = new pg.Pool({ connectionString: embedded.url, max: 8 });
  await tcp.query('create table counters (id int primary key, n int not null)');
  await tcp.query('create table items (id serial primary key, owner text not null)');
  await tcp.query('insert into counters values (1, 0), (2, 0)');
}, 60_000);

afterAll(async () => {
  neonConfig.coalesceWrites = coalescing;
  await tcp?.end();
  await relay?.close();
  await embedded?.stop();
});

/** `work` on a Neon connection through the relay opened for it alone, as a Worker request has one. */
async function onOwnConnection<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const own = connect(embedded.url, relay.proxy, 1);
  try {
    return await work(own.db);
  } finally {
    await own.close();
  }
}

describe('the embedded database, many connections on its one session', () => {
  it('answers each statement to its own connection, each opened for it as a Worker request does', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const [row] = await onOwnConnection((db) =>
          rowsOf<{ id: number; owner: string }>(
            db,
            sql`insert into items (owner) values (${`owner-${i}`}) returning id, owner`,
          ),
        );
        return row?.owner;
      }),
    );
    expect(answers).toEqual(Array.from({ length: 40 }, (_, i) => `owner-${i}`));
  });

  it('keeps each transaction whole: no increment lost', async () => {
    const increment = (id: number) =>
      onOwnConnection((db) =>
        db.transaction(async (tx) => {
          const [row] = await rowsOf<{ n: number }>(tx, sql`select n from counters where id = ${id}`);
          await tx.execute(sql`update counters set n = ${(row?.n ?? 0) + 1} where id = ${id}`);
        }),
      );
    const viaTcp = async (id: number) => {
      const client = await tcp.connect();
      try {
        await client.query('begin');
        const { rows } = await client.query<{ n: number }>('select n from counters where id = $1', [id]);
        await client.query('update counters set n = $1 where id = $2', [(rows[0]?.n ?? 0) + 1, id]);
        await client.query('commit');
      } finally {
        client.release();
      }
    };
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        for (let k = 0; k < 5; k++) await (i % 2 ? increment(1) : viaTcp(2));
      }),
    );
    const { rows } = await tcp.query<{ id: number; n: number }>('select id, n from counters order by id');
    expect(rows).toEqual([
      { id: 1, n: 30 },
      { id: 2, n: 30 },
    ]);
  });

  it("lets no other connection's messages in between a connection's Parse and its Sync", async () => {
    const [a, b] = await Promise.all([RawSession.open(embedded.port), RawSession.open(embedded.port)]);
    try {
      // Each message alone on the wire, the two connections' alternating: with turns by message,
      // B's Parse and Bind would replace A's unnamed statement and portal before A runs them.
      for (const [session, message] of [
        [a, parse("select 'A:' || $1::text as who")],
        [b, parse("select 'B:' || $1::text as who")],
        [a, bind('1')],
        [b, bind('2')],
        [a, EXECUTE],
        [b, EXECUTE],
        [a, SYNC],
        [b, SYNC],
      ] as const) {
        session.send(message);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await Promise.all([a.rowsUntilReady(), b.rowsUntilReady()])).toEqual([['A:1'], ['B:2']]);
    } finally {
      a.close();
      b.close();
    }
  });

  it('rolls back the transaction of a connection that goes in the middle of it, and serves the others', async () => {
    const quitter = new pg.Client(embedded.url);
    await quitter.connect();
    await quitter.query('begin');
    await quitter.query("insert into items (owner) values ('left half-way')");
    const waiting = tcp.query<{ n: number }>(
      "select count(*)::int as n from items where owner = 'left half-way'",
    );
    await quitter.end();
    expect((await waiting).rows[0]?.n).toBe(0);
  });
});

/** A Postgres wire-protocol message: its type, its length, its body. */
function message(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
const cstring = (text: string) => Buffer.from(`${text}\0`);
const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const int32 = (n: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(n);
  return buffer;
};
/** The unnamed statement, no parameter types given. */
const parse = (text: string) => message('P', cstring(''), cstring(text), int16(0));
/** The unnamed portal on the unnamed statement, one text parameter. */
const bind = (value: string) =>
  message(
    'B',
    cstring(''),
    cstring(''),
    int16(0),
    int16(1),
    int32(value.length),
    Buffer.from(value),
    int16(0),
  );
const EXECUTE = message('E', cstring(''), int32(0));
const SYNC = message('S');

/** A connection spoken to message by message, its answers read as they come. */
class RawSession {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  readonly #messages: { type: string; body: Buffer }[] = [];
  #wake: (() => void) | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      while (this.#buffer.length >= 5) {
        const length = this.#buffer.readInt32BE(1);
        if (this.#buffer.length < length + 1) break;
        this.#messages.push({
          type: String.fromCharCode(this.#buffer[0] as number),
          body: this.#buffer.subarray(5, length + 1),
        });
        this.#buffer = this.#buffer.subarray(length + 1);
      }
      this.#wake?.();
    });
  }

  static async open(port: number): Promise<RawSession> {
    const socket = createConnection({ host: '127.0.0.1', port });
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const session = new RawSession(socket);
    const startup = Buffer.concat([
      int32(196_608),
      cstring('user'),
      cstring('postgres'),
      cstring('database'),
      cstring('postgres'),
      Buffer.from([0]),
    ]);
    socket.write(Buffer.concat([int32(startup.length + 4), startup]));
    for (;;) {
      const next = await session.#next();
      if (next.type === 'R' && next.body.readInt32BE(0) === 3)
        session.send(message('p', cstring('postgres')));
      if (next.type === 'E') throw new Error('the startup was refused');
      if (next.type === 'Z') return session;
    }
  }

  send(bytes: Buffer): void {
    this.#socket.write(bytes);
  }

  /** The first column of every DataRow (or the error's text) until ReadyForQuery. */
  async rowsUntilReady(): Promise<string[]> {
    const rows: string[] = [];
    for (;;) {
      const next = await this.#next();
      if (next.type === 'Z') return rows;
      if (next.type === 'E') rows.push(`error: ${next.body.toString('latin1')}`);
      if (next.type === 'D') {
        const length = next.body.readInt32BE(2);
        rows.push(next.body.subarray(6, 6 + length).toString());
      }
    }
  }

  close(): void {
    this.#socket.destroy();
  }

  async #next(): Promise<{ type: string; body: Buffer }> {
    while (this.#messages.length === 0) await new Promise<void>((resolve) => (this.#wake = resolve));
    return this.#messages.shift() as { type: string; body: Buffer };
  }
}

import { Client } from '@neondatabase/serverless';
import { afterAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { useWebSocketProxy } from '../../src/adapters/db/client.ts';
import { connectTcp } from '../../src/adapters/db/tcp-client.ts';
import { MessageScanner, type Relay, relayTarget, startRelay } from '../../src/local/ws-relay.ts';

const databaseUrl = inject('databaseUrl');
const relay = await startRelay(relayTarget(databaseUrl));
const pooling = await startRelay(relayTarget(databaseUrl), { pool: true });
const side = connectTcp(databaseUrl, 1);
afterAll(async () => {
  await relay.close();
  await pooling.close();
  await side.close();
});

/** A driver's session through a relay: connect, run `work`, end (Terminate). */
async function session<T>(through: Relay, work: (client: Client) => Promise<T>): Promise<T> {
  useWebSocketProxy(through.proxy);
  const client = new Client(databaseUrl);
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function backendPid(client: Client): Promise<number> {
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  return rows[0]?.pid as number;
}

/** Waits, on a deadline, until `done` says so. */
async function until(done: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`not so after ${ms} ms: ${done}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const untilKept = (through: Relay, count: number) => until(() => through.kept() === count);

describe('WebSocket-to-TCP relay', () => {
  it('refuses to dial anything but its own Postgres', async () => {
    const socket = new WebSocket(`ws://${relay.proxy}?address=10.0.0.1:22`);
    const code = await new Promise<number>((resolve) =>
      socket.on('close', (closeCode) => resolve(closeCode)),
    );
    expect(code).toBe(1008);
  });

  it('without pooling, closes each session with its driver', async () => {
    const first = await session(relay, backendPid);
    const second = await session(relay, backendPid);
    expect(relay.kept()).toBe(0);
    if (inject('realPostgres')) expect(second).not.toBe(first);
  });
});

// Session pooling is for a real Postgres (the embedded one is a single connection, and unpooled).
describe.runIf(inject('realPostgres'))('WebSocket-to-TCP relay with session pooling', () => {
  it('hands a session, reset, to the next driver', async () => {
    const defaults = await session(relay, async (client) => {
      const { rows } = await client.query<{ timeout: string }>(
        "select current_setting('statement_timeout') as timeout",
      );
      return rows[0]?.timeout;
    });
    const first = await session(pooling, async (client) => {
      await client.query('set statement_timeout = 4321');
      await client.query('create temp table relay_scratch (x int)');
      await client.query('select pg_advisory_lock(4242)');
      await client.query('prepare relay_prepared as select 1');
      await client.query('begin');
      await client.query('create table relay_left_open (x int)');
      return backendPid(client); // ended inside the open transaction
    });
    await untilKept(pooling, 1);
    const second = await session(pooling, async (client) => {
      const { rows } = await client.query<{
        timeout: string;
        scratch: string | null;
        leftOpen: string | null;
        locks: number;
        prepared: number;
      }>(
        `select current_setting('statement_timeout') as timeout,
                to_regclass('relay_scratch')::text as scratch,
                to_regclass('relay_left_open')::text as "leftOpen",
                (select count(*)::int from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()) as locks,
                (select count(*)::int from pg_prepared_statements) as prepared`,
      );
      return { pid: await backendPid(client), ...rows[0] };
    });
    expect(second).toEqual({
      pid: first,
      timeout: defaults,
      scratch: null,
      leftOpen: null,
      locks: 0,
      prepared: 0,
    });
    await untilKept(pooling, 1);
  });

  it('closes a session given up while a statement runs', async () => {
    await untilKept(pooling, 1);
    let pid = 0;
    await session(pooling, async (client) => {
      pid = await backendPid(client);
      client.query('select pg_sleep(1)').catch(() => {});
      await until(async () => {
        const running = await side.pool.query(
          `select 1 from pg_stat_activity where pid = $1 and query like 'select pg_sleep%' and state = 'active'`,
          [pid],
        );
        return running.rowCount === 1;
      });
    });
    // Kept, it would live on idle for KEEP_MS; closed, it ends once its sleep is over.
    await until(
      async () =>
        (await side.pool.query('select 1 from pg_stat_activity where pid = $1', [pid])).rowCount === 0,
      5_000,
    );
    expect(pooling.kept()).toBe(0);
    const next = await session(pooling, backendPid);
    expect(next).not.toBe(pid);
  });

  it('lets a kept session go when Postgres ends it, and dials anew', async () => {
    const pid = await session(pooling, backendPid);
    await untilKept(pooling, 1);
    await side.pool.query('select pg_terminate_backend($1)', [pid]);
    await untilKept(pooling, 0);
    const next = await session(pooling, async (client) => {
      await client.query('select 1');
      return backendPid(client);
    });
    expect(next).not.toBe(pid);
  });
});

describe('MessageScanner', () => {
  const message = (type: string, body: number[]) =>
    Buffer.from([type.charCodeAt(0), 0, 0, 0, body.length + 4, ...body]);
  const stream = Buffer.concat([
    message('C', [1, 2, 3]),
    message('Z', [0x54]),
    message('S', []),
    message(
      'D',
      Array.from({ length: 40 }, (_, i) => i),
    ),
    message('X', []),
    message('Z', [0x49]),
  ]);

  function visits(chunks: Buffer[]): string[] {
    const scanner = new MessageScanner();
    const seen: string[] = [];
    let offset = 0;
    for (const chunk of chunks) {
      scanner.scan(chunk, (type, first, at) =>
        seen.push(`${String.fromCharCode(type)}${first}@${offset + at}`),
      );
      offset += chunk.length;
    }
    return seen;
  }

  it('finds every message, its first body byte and its place, wherever the stream is cut', () => {
    const whole = visits([stream]);
    expect(whole).toEqual(['C1@0', 'Z84@8', 'S-1@14', 'D0@19', 'X-1@64', 'Z73@69']);
    for (let cut = 1; cut < stream.length; cut++)
      for (let second = cut + 1; second <= stream.length; second++)
        expect(
          visits([stream.subarray(0, cut), stream.subarray(cut, second), stream.subarray(second)]),
        ).toEqual(whole);
  });
});

// The Postgres a local process talks to: the one DATABASE_URL names, or the embedded PGlite under
// DATA_DIR. The caller picks the driver: the Neon driver through the relay, exactly as the Worker
// reaches it (the relay does the TLS a hosted Postgres asks for; `npm run dev`), or node-postgres
// over TCP (the Node and Deno runtimes). The tools that run against a hosted database (migrations,
// the admin command) open it over TCP too (openTcpDatabase).
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { connect, type Database, type DatabaseConnection } from '../adapters/db/client.ts';
import { rowsOf } from '../adapters/db/statements.ts';
import { connectTcp, type TcpConnection } from '../adapters/db/tcp-client.ts';
import type { Settings } from '../config/settings.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { behindRelay, relayTarget, startRelay } from './ws-relay.ts';

export class StartupError extends Error {
  override name = 'StartupError';
}

export interface LocalDatabase {
  /** The embedded database's connection string, or DATABASE_URL as given (for TCP tools). */
  url: string;
  /** The same database for the Neon driver behind the relay (TLS, if any, is the relay's). */
  driverUrl: string;
  /** The relay address for PG_WS_PROXY ('' over TCP: no relay runs). */
  proxy: string;
  embedded: boolean;
  connect(max?: number): Pick<DatabaseConnection, 'db' | 'close'>;
  stop(): Promise<void>;
}

/** How this process talks to Postgres: the Neon driver behind the relay, or node-postgres over TCP. */
export type LocalDriver = 'neon-relay' | 'tcp';

export async function openLocalDatabase(
  settings: Settings,
  driver: LocalDriver = 'neon-relay',
): Promise<LocalDatabase> {
  const embedded = settings.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres(join(settings.DATA_DIR, 'pg'));
  const url = settings.DATABASE_URL ?? embedded?.url ?? '';
  const driverUrl = behindRelay(url);
  // The relay pools sessions as Hyperdrive does, but not the embedded database's single connection.
  const relay = driver === 'neon-relay' ? await startRelay(relayTarget(url), { pool: !embedded }) : undefined;
  const stop = async () => {
    await relay?.close();
    await embedded?.stop();
  };
  const open = (max: number | undefined, prepare: boolean) =>
    relay ? connect(driverUrl, relay.proxy, max) : connectTcp(url, max, { prepare });
  const probe = open(1, false);
  let server: string;
  try {
    server = await serverVersion(probe.db);
  } catch (error) {
    await stop();
    throw unreachable(url, error, 'Check DATABASE_URL, or unset it to use the embedded database.');
  } finally {
    await probe.close().catch(() => {});
  }
  // Named prepared statements over TCP, unless PREPARED_STATEMENTS=0 (a pooler that moves a
  // client's statements between sessions), and never on a PGlite (the embedded database, or one
  // that DATABASE_URL names, as the tests' embedded run does): its connections all share one
  // session, where a second connection preparing the same name is refused.
  const shared = Boolean(embedded) || PGLITE.test(server);
  const prepare = !shared && settings.PREPARED_STATEMENTS !== false;
  return {
    url,
    driverUrl,
    proxy: relay?.proxy ?? '',
    embedded: Boolean(embedded),
    connect: (max) => open(max, prepare),
    stop,
  };
}

/** How PGlite names itself in `version()`: "PostgreSQL 18.6 (PGlite 0.5.14) on wasm32-…". */
const PGLITE = /\(PGlite \d/;

/** What the server says it is; also the check that it answers. */
async function serverVersion(db: Database): Promise<string> {
  const [row] = await rowsOf<{ version: string }>(db, sql`select version() as version`);
  return row?.version ?? '';
}

/**
 * DATABASE_URL reached directly over TCP (TLS when the URL asks for it), for the tools that run
 * against a hosted database: migrations and the admin command. Fails in one line when unreachable.
 */
export async function openTcpDatabase(url: string, max = 2): Promise<TcpConnection> {
  const connection = connectTcp(url, max);
  try {
    await serverVersion(connection.db);
  } catch (error) {
    await connection.close().catch(() => {});
    throw unreachable(
      url,
      error,
      'Check DATABASE_URL (against Neon: the direct connection string, sslmode=require).',
    );
  }
  return connection;
}

/** A connection failure in one line: the server (never its credentials), the innermost cause, a hint. */
function unreachable(url: string, error: unknown, hint: string): StartupError {
  const target = new URL(url);
  const where = `${target.hostname}:${target.port || 5432}${target.pathname}`;
  return new StartupError(`cannot reach Postgres at ${where} (${rootMessage(error)}). ${hint}`);
}

/** The innermost cause, on one line: drizzle wraps driver errors with the failed query. */
function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause) current = current.cause;
  const message = current instanceof Error ? current.message : String(current);
  return message.replace(/\s+/g, ' ').trim() || 'no answer';
}

// A Postgres database of the run's own: created next to the one DATABASE_URL names (or, unset, the
// local server at postgres://postgres@127.0.0.1:5432/postgres), migrated, and dropped at the end.
// The bench talks to it through the project's relay, as every Marquee process does.
import { connect, type DatabaseConnection } from '../../src/adapters/db/client.ts';
import { runMigrations } from '../../src/local/migrate.ts';
import { startRelay } from '../../src/local/ws-relay.ts';

export const DEFAULT_BASE = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  /** The run's database, for DATABASE_URL. */
  url: string;
  /** The bench process's relay (PG_WS_PROXY) in front of that server. */
  proxy: string;
  connect(max?: number): DatabaseConnection;
  drop(): Promise<void>;
}

export async function createBenchDatabase(
  prefix: string,
  base = process.env.DATABASE_URL || DEFAULT_BASE,
): Promise<BenchDatabase> {
  const baseUrl = new URL(base);
  const relay = await startRelay({ host: baseUrl.hostname, port: Number(baseUrl.port || 5432) });
  const name = `${prefix}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = connect(base, relay.proxy, 1);
  try {
    await admin.pool.query(`create database ${name}`);
  } catch (error) {
    await admin.close().catch(() => {});
    await relay.close();
    throw new Error(`cannot create a database at ${baseUrl.host}: ${String(error)}`);
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  await runMigrations(url.toString(), relay.proxy);
  return {
    url: url.toString(),
    proxy: relay.proxy,
    connect: (max = 4) => connect(url.toString(), relay.proxy, max),
    async drop() {
      await admin.pool.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.close().catch(() => {});
      await relay.close();
    },
  };
}

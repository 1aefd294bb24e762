// A Postgres database of a run's own (a test run, a bench, a drill): created next to the one a URL
// names, migrated, and dropped at the end, so no run depends on what another left behind. It is
// reached through the project's relay, as every Marquee process reaches Postgres.
import { connect, type DatabaseConnection } from '../adapters/db/client.ts';
import { runMigrations } from './migrate.ts';
import { startRelay } from './ws-relay.ts';

/** The server a bench or drill uses when DATABASE_URL is unset (the embedded one is a single connection). */
export const DEFAULT_BASE = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ScratchDatabase {
  /** The run's database, for DATABASE_URL. */
  url: string;
  /** This process's relay (PG_WS_PROXY) in front of that server. */
  proxy: string;
  connect(max?: number): DatabaseConnection;
  drop(): Promise<void>;
}

export async function createScratchDatabase(
  prefix: string,
  base = process.env.DATABASE_URL || DEFAULT_BASE,
): Promise<ScratchDatabase> {
  const baseUrl = new URL(base);
  const relay = await startRelay(
    { host: baseUrl.hostname, port: Number(baseUrl.port || 5432) },
    { pool: true },
  );
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
  await runMigrations(url.toString());
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

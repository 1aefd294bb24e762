// The Postgres a local process talks to: the one DATABASE_URL names, or the embedded PGlite under
// DATA_DIR; either way reached through the relay, exactly as the Worker reaches it.
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { connect, type DatabaseConnection } from '../adapters/db/client.ts';
import type { Settings } from '../config/settings.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { startRelay } from './ws-relay.ts';

export class StartupError extends Error {
  override name = 'StartupError';
}

export interface LocalDatabase {
  /** The connection string the app uses (the embedded one, or DATABASE_URL). */
  url: string;
  /** The relay address for PG_WS_PROXY. */
  proxy: string;
  embedded: boolean;
  connect(max?: number): DatabaseConnection;
  stop(): Promise<void>;
}

export async function openLocalDatabase(settings: Settings): Promise<LocalDatabase> {
  const embedded = settings.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres(join(settings.DATA_DIR, 'pg'));
  const url = settings.DATABASE_URL ?? embedded?.url ?? '';
  const target = new URL(url);
  const relay = await startRelay({ host: target.hostname || '127.0.0.1', port: Number(target.port || 5432) });
  const stop = async () => {
    await relay.close();
    await embedded?.stop();
  };
  const local: LocalDatabase = {
    url,
    proxy: relay.proxy,
    embedded: Boolean(embedded),
    connect: (max) => connect(url, relay.proxy, max),
    stop,
  };
  try {
    await ping(local);
  } catch (error) {
    await stop();
    const where = `${target.hostname}:${target.port || 5432}${target.pathname}`;
    const reason = rootMessage(error);
    throw new StartupError(
      `cannot reach Postgres at ${where} (${reason}). Check DATABASE_URL, or unset it to use the embedded database.`,
    );
  }
  return local;
}

async function ping(local: LocalDatabase): Promise<void> {
  const { db, close } = local.connect(1);
  try {
    await db.execute(sql`select 1`);
  } finally {
    await close().catch(() => {});
  }
}

/** The innermost cause, on one line: drizzle wraps driver errors with the failed query. */
function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause) current = current.cause;
  const message = current instanceof Error ? current.message : String(current);
  return message.replace(/\s+/g, ' ').trim() || 'no answer';
}

// `npm run db:migrate`: applies migrations/ to DATABASE_URL over TCP (TLS when the URL asks for
// it; against Neon, the direct connection string), or to the embedded database under DATA_DIR.
import { mkdir } from 'node:fs/promises';
import { readSettings } from '../config/settings.ts';
import { lockDataDir } from '../local/data-dir-lock.ts';
import { openLocalDatabase, openTcpDatabase } from '../local/database.ts';
import { runMigrations } from '../local/migrate.ts';
import { fail } from '../local/startup.ts';

try {
  const settings = readSettings(process.env);
  if (settings.DATABASE_URL) {
    await (await openTcpDatabase(settings.DATABASE_URL, 1)).close();
    await runMigrations(settings.DATABASE_URL);
    console.log('migrations applied to DATABASE_URL');
  } else {
    await mkdir(settings.DATA_DIR, { recursive: true });
    const lock = lockDataDir(settings.DATA_DIR);
    const database = await openLocalDatabase(settings);
    try {
      await runMigrations(database.url);
      console.log('migrations applied to the embedded database');
    } finally {
      await database.stop();
      lock.release();
    }
  }
} catch (error) {
  fail(error);
}

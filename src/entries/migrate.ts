// `npm run db:migrate`: applies migrations/ to DATABASE_URL, or to the embedded database.
import { readSettings } from '../config/settings.ts';
import { openLocalDatabase } from '../local/database.ts';
import { runMigrations } from '../local/migrate.ts';
import { fail } from '../local/startup.ts';

try {
  const settings = readSettings(process.env);
  const database = await openLocalDatabase(settings);
  try {
    await runMigrations(database.url, database.proxy);
    console.log(`migrations applied to ${database.embedded ? 'the embedded database' : 'DATABASE_URL'}`);
  } finally {
    await database.stop();
  }
} catch (error) {
  fail(error);
}

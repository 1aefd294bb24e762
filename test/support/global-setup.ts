// Once per test run: a database of its own (created from DATABASE_URL and dropped afterwards, or an
// in-memory embedded Postgres when DATABASE_URL is unset), the relay in front of it, migrations.
import type { TestProject } from 'vitest/node';
import { connect } from '../../src/adapters/db/client.ts';
import { startEmbeddedPostgres } from '../../src/local/embedded-postgres.ts';
import { runMigrations } from '../../src/local/migrate.ts';
import { createScratchDatabase } from '../../src/local/scratch-database.ts';
import { upsertAdmin } from '../../src/local/seed.ts';
import { startRelay } from '../../src/local/ws-relay.ts';

export default async function setup(project: TestProject) {
  const scratch = process.env.DATABASE_URL ? await createScratchDatabase('marquee_test') : undefined;
  const embedded = scratch ? undefined : await startEmbeddedPostgres();
  const embeddedUrl = new URL(embedded?.url ?? 'postgres://localhost');
  const relay = embedded
    ? await startRelay({ host: embeddedUrl.hostname, port: Number(embeddedUrl.port || 5432) })
    : undefined;
  const databaseUrl = scratch?.url ?? embeddedUrl.toString();
  const proxy = scratch?.proxy ?? relay?.proxy ?? '';
  if (!scratch) await runMigrations(databaseUrl);
  const admin = { loginId: 'admin', password: 'admin-password-for-tests' };
  const seeding = connect(databaseUrl, proxy, 1);
  await upsertAdmin(seeding.db, admin.loginId, admin.password);
  await seeding.close();

  project.provide('databaseUrl', databaseUrl);
  project.provide('wsProxy', proxy);
  project.provide('realPostgres', Boolean(scratch));
  project.provide('adminLoginId', admin.loginId);
  project.provide('adminPassword', admin.password);

  return async () => {
    await scratch?.drop();
    await relay?.close();
    await embedded?.stop();
  };
}

// Once per test run: a database of its own (created from DATABASE_URL and dropped afterwards, or an
// in-memory embedded Postgres when DATABASE_URL is unset), the relay in front of it, migrations.
import type { TestProject } from 'vitest/node';
import { connect } from '../../src/adapters/db/client.ts';
import { startEmbeddedPostgres } from '../../src/local/embedded-postgres.ts';
import { runMigrations } from '../../src/local/migrate.ts';
import { upsertAdmin } from '../../src/local/seed.ts';
import { startRelay } from '../../src/local/ws-relay.ts';

export default async function setup(project: TestProject) {
  const base = process.env.DATABASE_URL;
  const embedded = base ? undefined : await startEmbeddedPostgres();
  const baseUrl = new URL(base ?? embedded?.url ?? '');
  const relay = await startRelay({ host: baseUrl.hostname, port: Number(baseUrl.port || 5432) });

  let databaseUrl = baseUrl.toString();
  let dropDatabase = async () => {};
  if (base) {
    const name = `marquee_test_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    const admin = connect(base, relay.proxy, 1);
    await admin.pool.query(`create database ${name}`);
    const testUrl = new URL(base);
    testUrl.pathname = `/${name}`;
    databaseUrl = testUrl.toString();
    dropDatabase = async () => {
      await admin.pool.query(`drop database if exists ${name} with (force)`);
      await admin.close();
    };
  }
  await runMigrations(databaseUrl, relay.proxy);
  const admin = { loginId: 'admin', password: 'admin-password-for-tests' };
  const seeding = connect(databaseUrl, relay.proxy, 1);
  await upsertAdmin(seeding.db, admin.loginId, admin.password);
  await seeding.close();

  project.provide('databaseUrl', databaseUrl);
  project.provide('wsProxy', relay.proxy);
  project.provide('realPostgres', Boolean(base));
  project.provide('adminLoginId', admin.loginId);
  project.provide('adminPassword', admin.password);

  return async () => {
    await dropDatabase();
    await relay.close();
    await embedded?.stop();
  };
}

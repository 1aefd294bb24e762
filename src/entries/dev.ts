// `npm run dev`: a lock on DATA_DIR, Postgres (embedded unless DATABASE_URL), the relay,
// migrations, demo data and the dev admin, then the Worker under `wrangler dev`. One Ctrl-C stops
// all of it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSettings, type Settings, settingNames } from '../config/settings.ts';
import { lockDataDir } from '../local/data-dir-lock.ts';
import { type LocalDatabase, openLocalDatabase, StartupError } from '../local/database.ts';
import { freePort } from '../local/embedded-postgres.ts';
import { runMigrations } from '../local/migrate.ts';
import { seedDemo, upsertAdmin } from '../local/seed.ts';
import { fail, randomSecret } from '../local/startup.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');

let database: LocalDatabase | undefined;
let worker: ChildProcess | undefined;
let stopping = false;

async function main(): Promise<void> {
  const settings = readSettings(process.env);
  const dataDir = resolve(settings.DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  // The wrangler state lives here even with DATABASE_URL: one dev process per DATA_DIR, always.
  lockDataDir(dataDir);
  await assertPortFree(settings.PORT);

  database = await openLocalDatabase({ ...settings, DATA_DIR: dataDir });
  await runMigrations(database.url);
  const { db, close } = database.connect(2);
  try {
    await upsertAdmin(db, settings.ADMIN_LOGIN_ID, settings.ADMIN_PASSWORD);
    await seedDemo(db, settings.TIMEZONE);
  } finally {
    await close();
  }

  const jwtSecret = settings.JWT_SECRET ?? randomSecret();
  const varsFile = join(dataDir, 'worker.vars');
  await writeFile(varsFile, workerVars(settings, database, jwtSecret), { mode: 0o600 });
  const inspectorPort = await freePort();
  worker = spawn(
    process.execPath,
    [
      WRANGLER,
      'dev',
      '--port',
      String(settings.PORT),
      '--ip',
      '127.0.0.1',
      '--inspector-port',
      String(inspectorPort),
      '--persist-to',
      join(dataDir, 'wrangler'),
      '--env-file',
      varsFile,
      '--show-interactive-dev-session=false',
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    },
  );
  worker.on('exit', (code) => {
    if (!stopping) void shutdown(code ?? 1, 'the Worker stopped');
  });
  await waitForHealth(settings.PORT);
  console.log(
    [
      '',
      `Marquee is up on http://localhost:${settings.PORT}`,
      `  API docs:  http://localhost:${settings.PORT}/docs`,
      `  database:  ${database.embedded ? `embedded (${join(dataDir, 'pg')})` : 'DATABASE_URL'}`,
      `  admin:     ${settings.ADMIN_LOGIN_ID} / ${process.env.ADMIN_PASSWORD ? '(ADMIN_PASSWORD)' : settings.ADMIN_PASSWORD}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

/** Every setting goes to the Worker, plus where to find Postgres and the signing key. */
function workerVars(settings: Settings, db: LocalDatabase, jwtSecret: string): string {
  const vars: Record<string, string> = {};
  for (const name of settingNames) {
    const value = process.env[name];
    if (value !== undefined && value !== '') vars[name] = value;
  }
  vars.TIMEZONE = settings.TIMEZONE;
  vars.DATABASE_URL = db.driverUrl;
  vars.PG_WS_PROXY = db.proxy;
  vars.JWT_SECRET = jwtSecret;
  return Object.entries(vars)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join('\n');
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', () =>
      reject(
        new StartupError(
          `port ${port} is already in use; stop what uses it or start with PORT=<another port>.`,
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePort()));
  });
}

async function waitForHealth(port: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && !stopping) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  if (!stopping)
    throw new StartupError('the Worker did not become healthy within 2 minutes; see the output above.');
}

async function shutdown(code: number, why?: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (why) console.error(`marquee: ${why}, shutting down`);
  if (worker && worker.exitCode === null) {
    const exited = new Promise((done) => worker?.once('exit', done));
    worker.kill('SIGTERM');
    const timer = setTimeout(() => worker?.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  await database?.stop().catch(() => {});
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(130); // a second Ctrl-C does not wait
    void shutdown(0);
  });
}

main().catch(async (error) => {
  stopping = true;
  worker?.kill('SIGKILL');
  await database?.stop().catch(() => {});
  fail(error);
});

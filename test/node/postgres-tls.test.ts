// Migrations and the admin command reach a hosted Postgres the way Neon asks: over TLS, the
// certificate checked. The server here is a private cluster set up like one (TLS only, plain
// connections refused, SCRAM passwords, a self-signed certificate made with openssl), so every
// success below went over TLS; and a URL asking for TLS fails in one line against a server without.
// `npm run start:node` serves from it too: its relay speaks TLS to the server for the Neon driver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivatePostgres, startPrivatePostgres } from '../../bench/support/private-postgres.ts';
import { connectTcp } from '../../src/adapters/db/tcp-client.ts';
import { freePort } from '../../src/local/embedded-postgres.ts';
import { type DevStack, moviesAndLogin, startCommand, waitFor } from '../support/dev-stack.ts';
import { flushRedis, redisUrl } from '../support/redis.ts';

const REDIS = redisUrl(13);
let server: PrivatePostgres;
let node: DevStack | undefined;

beforeAll(async () => {
  server = await startPrivatePostgres({ tls: true });
});

afterAll(async () => {
  node?.child.kill('SIGKILL');
  await node?.exited;
  await flushRedis(REDIS);
  await server?.stop();
});

async function run(entry: 'migrate' | 'admin', args: string[], databaseUrl: string, password?: string) {
  const command = startCommand([process.execPath, `src/entries/${entry}.ts`, ...args], {
    DATABASE_URL: databaseUrl,
    ADMIN_PASSWORD: password,
  });
  return { code: await command.exited, stdout: command.stdout(), stderr: command.stderr() };
}

/** The same URL with its query replaced. */
function withQuery(url: string, query: string): string {
  const target = new URL(url);
  target.search = query;
  return target.toString();
}

describe('Postgres over TLS', () => {
  it('applies the migrations, creates the first admin and loads the demo catalog', async () => {
    expect(await run('migrate', [], server.url)).toEqual({
      code: 0,
      stdout: 'migrations applied to DATABASE_URL\n',
      stderr: '',
    });
    expect(await run('admin', ['create', 'tls_admin'], server.url, 'over-tls-and-long')).toMatchObject({
      code: 0,
      stdout: 'admin "tls_admin" created\n',
    });
    expect(await run('admin', ['seed-demo'], server.url)).toMatchObject({ code: 0, stderr: '' });

    const { pool, close } = connectTcp(server.url, 1);
    try {
      const session = await pool.query('select ssl from pg_stat_ssl where pid = pg_backend_pid()');
      expect(session.rows).toEqual([{ ssl: true }]);
      const admins = await pool.query(`select login_id from members where role = 'ADMIN'`);
      expect(admins.rows).toEqual([{ login_id: 'tls_admin' }]);
      const theaters = await pool.query('select count(*)::int as n from theaters');
      expect(theaters.rows).toEqual([{ n: 1 }]);
    } finally {
      await close();
    }
  });

  it('serves production Node from it: health, the catalog and the admin login', async () => {
    const port = await freePort();
    node = startCommand([process.execPath, 'src/entries/node.ts'], {
      DATABASE_URL: server.url,
      JWT_SECRET: 'tls-test-secret-long-enough',
      REDIS_URL: REDIS,
      PORT: String(port),
    });
    const health = await waitFor(`http://127.0.0.1:${port}/health`, node.child);
    expect(await health.json()).toEqual({
      status: 'UP',
      components: { database: { status: 'UP' }, seats: { status: 'UP' }, redis: { status: 'UP' } },
    });
    expect(await moviesAndLogin(`http://127.0.0.1:${port}`, 'tls_admin', 'over-tls-and-long')).toEqual({
      movies: 3,
      login: 200,
    });
  });

  it('is refused without TLS: the server takes no plain connection', async () => {
    const plain = await run('migrate', [], withQuery(server.url, 'sslmode=disable'));
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(
      /^marquee: cannot reach Postgres at 127\.0\.0\.1:\d+\/postgres \(.*no encryption\)\. [^\n]*\n$/,
    );
  });

  it("checks the certificate: without the server's CA the self-signed one is refused", async () => {
    const unchecked = await run('admin', ['seed-demo'], withQuery(server.url, 'sslmode=require'));
    expect(unchecked.code).toBe(1);
    expect(unchecked.stderr).toMatch(/^marquee: cannot reach Postgres at .*self-signed certificate.*\n$/);
  });

  it('fails in one line when the URL asks for TLS and the server has none', async () => {
    // A cluster of its own with TLS off (a shared server might have it on).
    const plainServer = await startPrivatePostgres();
    const noTls = withQuery(plainServer.url, 'sslmode=require');
    let attempts: Awaited<ReturnType<typeof run>>[];
    try {
      attempts = [
        await run('migrate', [], noTls),
        await run('admin', ['create', 'never_made'], noTls, 'over-tls-and-long'),
      ];
    } finally {
      await plainServer.stop();
    }
    for (const attempt of attempts) {
      expect(attempt.code).toBe(1);
      expect(attempt.stderr).toMatch(
        /^marquee: cannot reach Postgres at 127\.0\.0\.1:\d+\/\w+ \(The server does not support SSL connections\)\. Check DATABASE_URL \(against Neon: the direct connection string, sslmode=require\)\.\n$/,
      );
    }
  });
});

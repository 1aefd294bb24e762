// `npm run admin` against a real Postgres (a scratch database of this file's own): the first admin,
// a password reset that ends the member's sessions, the demo catalog, and the one-line refusals.
// The terminal prompt is driven through a real pseudo-terminal (util-linux `script`).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseConnection } from '../../src/adapters/db/client.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../src/local/scratch-database.ts';
import { login, refresh, signup } from '../../src/services/auth-service.ts';
import { startCommand } from '../support/dev-stack.ts';

const ROOT = join(import.meta.dirname, '../..');
const SECRET = 'admin-command-test-secret-long-enough';
let database: ScratchDatabase;
let conn: DatabaseConnection;

beforeAll(async () => {
  database = await createScratchDatabase('marquee_admin');
  conn = database.connect(2);
});

afterAll(async () => {
  await conn?.close();
  await database?.drop();
});

async function admin(args: string[], env: Record<string, string | undefined> = {}) {
  const run = startCommand([process.execPath, 'src/entries/admin.ts', ...args], {
    DATABASE_URL: database.url,
    ADMIN_PASSWORD: undefined,
    ...env,
  });
  return { code: await run.exited, stdout: run.stdout(), stderr: run.stderr() };
}

async function member(loginId: string) {
  const { rows } = await conn.pool.query('select role, password_hash from members where login_id = $1', [
    loginId,
  ]);
  return rows[0] as { role: string; password_hash: string } | undefined;
}

describe('npm run admin', () => {
  describe('happy', () => {
    it('creates an admin who can log in with that password', async () => {
      const created = await admin(['create', 'first_admin'], { ADMIN_PASSWORD: 'opening-night-2026' });
      expect(created).toEqual({ code: 0, stdout: 'admin "first_admin" created\n', stderr: '' });
      expect((await member('first_admin'))?.role).toBe('ADMIN');
      const tokens = await login(conn.db, SECRET, 'first_admin', 'opening-night-2026');
      expect(tokens.tokenType).toBe('Bearer');
    });

    it("resets a member's password and revokes their refresh tokens", async () => {
      await signup(conn.db, 'forgetful', 'old-password-1');
      const first = await login(conn.db, SECRET, 'forgetful', 'old-password-1');
      const second = await login(conn.db, SECRET, 'forgetful', 'old-password-1');
      const reset = await admin(['reset-password', 'forgetful'], { ADMIN_PASSWORD: 'brand-new-phrase-9' });
      expect(reset).toEqual({
        code: 0,
        stdout: 'password of "forgetful" reset; 2 refresh token(s) revoked\n',
        stderr: '',
      });
      for (const session of [first, second])
        await expect(refresh(conn.db, SECRET, session.refreshToken)).rejects.toMatchObject({
          code: 'UNAUTHORIZED',
        });
      await expect(login(conn.db, SECRET, 'forgetful', 'old-password-1')).rejects.toMatchObject({
        code: 'INVALID_CREDENTIALS',
      });
      expect((await login(conn.db, SECRET, 'forgetful', 'brand-new-phrase-9')).tokenType).toBe('Bearer');
      expect((await member('forgetful'))?.role).toBe('USER');
    });

    it('loads the demo catalog, and topping it up again adds nothing', async () => {
      const count = async () =>
        (await conn.pool.query('select count(*)::int as n from screenings')).rows[0].n as number;
      expect(await admin(['seed-demo'])).toMatchObject({ code: 0, stderr: '' });
      const screenings = await count();
      expect(screenings).toBeGreaterThan(0);
      expect(await admin(['seed-demo'])).toMatchObject({ code: 0 });
      expect(await count()).toBe(screenings);
    });

    it('asks for the password on a terminal, twice, and never echoes it', async () => {
      const typed = 'typed-at-the-prompt-7';
      const command = `${process.execPath} src/entries/admin.ts create prompted_admin`;
      const child = spawn('script', ['-qefc', command, '/dev/null'], {
        cwd: ROOT,
        env: { ...withoutPassword(process.env), DATABASE_URL: database.url },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let screen = '';
      child.stdout.on('data', (chunk) => {
        screen += chunk;
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      // Typed only once each prompt is up, as a person would: the terminal is in raw mode by then.
      await expect.poll(() => screen, { timeout: 30_000 }).toContain('Password for prompted_admin: ');
      child.stdin.write(`${typed}\r`);
      await expect.poll(() => screen, { timeout: 10_000 }).toContain('Again: ');
      child.stdin.write(`${typed}\r`);
      expect(await exited).toBe(0);
      expect(screen).toContain('admin "prompted_admin" created');
      expect(screen).not.toContain(typed);
      expect((await login(conn.db, SECRET, 'prompted_admin', typed)).tokenType).toBe('Bearer');
    });
  });

  describe('errors, each in one line and changing nothing', () => {
    // Each rule of the password and the login id is a unit test (test/unit/domain/credentials.test.ts).
    const cases: [string, string[], Record<string, string | undefined>, string][] = [
      [
        'a weak password',
        ['create', 'weak_admin'],
        { ADMIN_PASSWORD: 'short' },
        'the password is too weak: it must be at least 12 characters',
      ],
      [
        'no password and no terminal',
        ['create', 'weak_admin'],
        {},
        'set ADMIN_PASSWORD, or run on a terminal to be asked for the password.',
      ],
      [
        'no DATABASE_URL',
        ['create', 'weak_admin'],
        { DATABASE_URL: undefined, ADMIN_PASSWORD: 'opening-night-2026' },
        'DATABASE_URL must be set: the admin command acts on it.',
      ],
      [
        'an unknown command',
        ['promote', 'weak_admin'],
        {},
        'usage: npm run admin -- create <loginId> | reset-password <loginId> | seed-demo',
      ],
    ];
    for (const [what, args, env, message] of cases) {
      it(`refuses ${what}`, async () => {
        expect(await admin(args, env)).toEqual({ code: 1, stdout: '', stderr: `marquee: ${message}\n` });
        expect(await member('weak_admin')).toBeUndefined();
      });
    }

    it('refuses a login id that is taken, keeping its password', async () => {
      await admin(['create', 'taken_admin'], { ADMIN_PASSWORD: 'opening-night-2026' });
      const before = await member('taken_admin');
      expect(await admin(['create', 'taken_admin'], { ADMIN_PASSWORD: 'another-phrase-2026' })).toEqual({
        code: 1,
        stdout: '',
        stderr:
          'marquee: login id "taken_admin" is already taken; use reset-password to change its password\n',
      });
      expect(await member('taken_admin')).toEqual(before);
    });

    it('refuses to reset the password of nobody', async () => {
      expect(
        await admin(['reset-password', 'nobody_here'], { ADMIN_PASSWORD: 'opening-night-2026' }),
      ).toEqual({
        code: 1,
        stdout: '',
        stderr: 'marquee: no member has login id "nobody_here"\n',
      });
    });
  });
});

function withoutPassword(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { ADMIN_PASSWORD: _, ...rest } = env;
  return rest;
}

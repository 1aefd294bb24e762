// One process per DATA_DIR: `npm run dev:node` on the embedded database, and every other command
// that would open the same files (`npm run dev`, a second dev:node, `db:migrate`) refused in one
// line naming the owner; a lock left by a killed process does not block the next start.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../src/local/data-dir-lock.ts';
import { StartupError } from '../../src/local/database.ts';
import { freePort } from '../../src/local/embedded-postgres.ts';
import {
  type DevStack,
  moviesAndLogin,
  removeDevDirs,
  startCommand,
  tempDataDir,
  waitFor,
} from '../support/dev-stack.ts';
import { flushRedis, redisUrl } from '../support/redis.ts';

const REDIS = redisUrl(13);
const DEV_NODE = [process.execPath, 'src/entries/node.ts', '--dev'];
/** The embedded database starts, migrates and is seeded first: slow on a busy machine. */
const STARTUP_MS = 180_000;

afterAll(async () => {
  await flushRedis(REDIS);
  await removeDevDirs();
});

/** A PID that surely belongs to no process any more: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid as number;
}

describe('the DATA_DIR lock', () => {
  it('refuses while the owner lives, takes over once it is gone, and removes its file on release', async () => {
    const dir = await tempDataDir();
    const file = join(dir, 'marquee.lock');
    const owner = spawn('sleep', ['60']);
    try {
      writeFileSync(file, `${owner.pid}\n`);
      expect(() => lockDataDir(dir)).toThrow(
        new StartupError(`DATA_DIR ${dir} is in use by PID ${owner.pid}`),
      );
      expect(readFileSync(file, 'utf8')).toBe(`${owner.pid}\n`);
    } finally {
      owner.kill('SIGKILL');
    }
    writeFileSync(file, `${await deadPid()}\n`);
    const lock = lockDataDir(dir);
    expect(readFileSync(file, 'utf8')).toBe(`${process.pid}\n`);
    lock.release();
    expect(existsSync(file)).toBe(false);
  });
});

describe('npm run dev:node', () => {
  const started: DevStack[] = [];
  afterAll(() => {
    for (const run of started) run.child.kill('SIGKILL');
  });

  async function devNode(dataDir: string, port: number): Promise<DevStack> {
    const run = startCommand(DEV_NODE, {
      DATA_DIR: dataDir,
      PORT: String(port),
      REDIS_URL: REDIS,
      JWT_SECRET: undefined,
      ADMIN_PASSWORD: 'dev-node-password',
    });
    started.push(run);
    return run;
  }

  it(
    'runs on the embedded database with the demo catalog and the dev admin, alone on its DATA_DIR',
    async () => {
      const dataDir = await tempDataDir();
      const port = await freePort();
      const first = await devNode(dataDir, port);
      await waitFor(`http://127.0.0.1:${port}/health`, first.child, STARTUP_MS);
      expect(await moviesAndLogin(`http://127.0.0.1:${port}`, 'admin', 'dev-node-password')).toEqual({
        movies: 3,
        login: 200,
      });
      expect(first.stdout()).toContain('development: demo data loaded; admin admin / (ADMIN_PASSWORD)');

      const inUse = `marquee: DATA_DIR ${dataDir} is in use by PID ${first.child.pid}\n`;
      const others = [
        await devNode(dataDir, await freePort()),
        startCommand([process.execPath, 'src/entries/dev.ts'], {
          DATA_DIR: dataDir,
          PORT: String(await freePort()),
        }),
        startCommand([process.execPath, 'src/entries/migrate.ts'], { DATA_DIR: dataDir }),
      ];
      for (const other of others) {
        expect(await other.exited).toBe(1);
        expect(other.stderr()).toBe(inUse);
      }
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);

      // Killed outright: its lock stays behind, and the next start takes it over.
      first.child.kill('SIGKILL');
      await first.exited;
      expect(readFileSync(join(dataDir, 'marquee.lock'), 'utf8')).toBe(`${first.child.pid}\n`);
      const next = await devNode(dataDir, port);
      await waitFor(`http://127.0.0.1:${port}/health`, next.child, STARTUP_MS);
      expect(readFileSync(join(dataDir, 'marquee.lock'), 'utf8')).toBe(`${next.child.pid}\n`);
      next.child.kill('SIGINT');
      expect(await next.exited).toBe(0);
      expect(existsSync(join(dataDir, 'marquee.lock'))).toBe(false);
    },
    3 * STARTUP_MS,
  );
});

// A Postgres cluster of a drill's own (initdb into a temporary directory, started with pg_ctl on a
// spare port), so the drill can restart it without touching the machine's shared server. Postgres
// refuses to run as root: as root, its commands run as the `postgres` OS user (runuser).
import { execFile } from 'node:child_process';
import { chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/local/embedded-postgres.ts';

const run = promisify(execFile);

export interface PrivatePostgres {
  url: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** PG_BIN, else what pg_config says, else whatever is on the PATH. */
async function binaries(): Promise<string> {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  try {
    return (await run('pg_config', ['--bindir'])).stdout.trim();
  } catch {
    return '';
  }
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'marquee-pg-'));
  const bin = await binaries();
  const tool = (name: string) => (bin ? join(bin, name) : name);
  const asRoot = process.getuid?.() === 0;
  const pg = (name: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', tool(name), ...args]) : run(tool(name), args);
  const data = join(dir, 'pgdata');
  await mkdir(data, { recursive: true });
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: group } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout), Number(group));
    await chown(data, Number(stdout), Number(group));
  }
  await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off`;
  const ctl = (action: string, ...extra: string[]) =>
    pg('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'postgres.log'), '-w', action, ...extra]);
  await ctl('start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: async () => void (await ctl('restart', '-m', 'fast')),
    async stop() {
      await ctl('stop', '-m', 'immediate').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// A Postgres cluster of a drill's or test's own (initdb into a temporary directory, started with
// pg_ctl on a spare port), so it can be restarted without touching the machine's shared server.
// With `tls`, it is set up as a hosted Postgres is: TLS only (plain connections refused), a
// self-signed certificate made with openssl, SCRAM passwords. Postgres refuses to run as root: as
// root, its commands run as the `postgres` OS user (runuser).
import { execFile } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/local/embedded-postgres.ts';

const run = promisify(execFile);

export interface PrivatePostgres {
  /** With `tls`: carries the password, sslmode=require and sslrootcert (the certificate file). */
  url: string;
  /** With `tls`: the self-signed certificate, which is its own CA. */
  caFile?: string;
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

export async function startPrivatePostgres(options: { tls?: boolean } = {}): Promise<PrivatePostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'marquee-pg-'));
  const bin = await binaries();
  const tool = (name: string) => (bin ? join(bin, name) : name);
  const asRoot = process.getuid?.() === 0;
  const pg = (name: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', tool(name), ...args]) : run(tool(name), args);
  const owner = asRoot
    ? {
        uid: Number((await run('id', ['-u', 'postgres'])).stdout),
        gid: Number((await run('id', ['-g', 'postgres'])).stdout),
      }
    : undefined;
  const own = async (path: string) => {
    if (owner) await chown(path, owner.uid, owner.gid);
  };
  const data = join(dir, 'pgdata');
  await mkdir(data, { recursive: true });
  await own(dir);
  await own(data);
  const password = options.tls ? `pw-${Math.random().toString(36).slice(2)}` : '';
  const pwFile = join(dir, 'pwfile');
  if (options.tls) {
    await writeFile(pwFile, `${password}\n`);
    await own(pwFile);
  }
  await pg('initdb', [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    ...(options.tls ? [`--pwfile=${pwFile}`] : []),
  ]);
  const port = await freePort();
  let serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off`;
  let caFile: string | undefined;
  if (options.tls) {
    caFile = join(dir, 'server.crt');
    const keyFile = join(dir, 'server.key');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      caFile,
    ]);
    await chmod(keyFile, 0o600);
    await own(keyFile);
    await own(caFile);
    // TLS only over the network, SCRAM passwords; the socket (pg_ctl's own checks) stays trusted.
    await writeFile(
      join(data, 'pg_hba.conf'),
      [
        'local all all trust',
        'hostssl all all 127.0.0.1/32 scram-sha-256',
        'hostnossl all all 0.0.0.0/0 reject',
        '',
      ].join('\n'),
    );
    serverOptions += ` -c ssl=on -c ssl_cert_file=${caFile} -c ssl_key_file=${keyFile}`;
  }
  const ctl = (action: string, ...extra: string[]) =>
    pg('pg_ctl', ['-D', data, '-o', serverOptions, '-l', join(dir, 'postgres.log'), '-w', action, ...extra]);
  await ctl('start');
  const url = options.tls
    ? `postgres://postgres:${password}@127.0.0.1:${port}/postgres?sslmode=require&sslrootcert=${encodeURIComponent(caFile ?? '')}`
    : `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    caFile,
    restart: async () => void (await ctl('restart', '-m', 'fast')),
    async stop() {
      await ctl('stop', '-m', 'immediate').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// Starts Marquee's commands as a person runs them (`npm run dev` is src/entries/dev.ts, `dev:node`
// and `start:node` are src/entries/node.ts, and so on), for tests that need the whole stack: a
// fresh DATA_DIR each time, output captured, and a wait until a URL answers.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const DEV = join(ROOT, 'src/entries/dev.ts');
const dirs: string[] = [];

export interface DevStack {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** stdout and stderr as they came. */
  output: () => string;
  stdout: () => string;
  stderr: () => string;
}

/** A temporary DATA_DIR, removed by removeDevDirs. */
export async function tempDataDir(): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'marquee-dev-'));
  dirs.push(dataDir);
  return dataDir;
}

/** Without DATABASE_URL in `env` the stack uses its embedded Postgres, whatever the test run has. */
export async function startDev(env: Record<string, string>): Promise<DevStack> {
  return startCommand([process.execPath, DEV], { DATA_DIR: await tempDataDir(), ...env });
}

/**
 * Runs a command in the repository with the test run's environment plus `env`; a variable set to
 * undefined there is removed, and DATABASE_URL is removed unless `env` names it.
 */
export function startCommand(command: string[], env: Record<string, string | undefined>): DevStack {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ADMIN_LOGIN_ID: 'admin', ...env };
  if (!('DATABASE_URL' in env)) delete childEnv.DATABASE_URL;
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete childEnv[name];
  const child = spawn(command[0] as string, command.slice(1), {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output, stdout: () => stdout, stderr: () => stderr };
}

export async function waitFor(url: string, child: ChildProcess, timeoutMs = 90_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(url);
      if (response.ok) return response;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} never answered`);
}

/** Removes every DATA_DIR startDev made; call it in afterAll. */
export async function removeDevDirs(): Promise<void> {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
}

/** What a running stack shows first: how many movies it lists, and the status of a login. */
export async function moviesAndLogin(
  base: string,
  loginId: string,
  password: string,
): Promise<{ movies: number; login: number }> {
  const movies = (await (await fetch(`${base}/api/movies`)).json()) as { items: unknown[] };
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ loginId, password }),
  });
  return { movies: movies.items.length, login: login.status };
}

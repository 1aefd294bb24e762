// Starts `npm run dev` (src/entries/dev.ts) as a person runs it, for tests that need the whole
// stack: a fresh DATA_DIR each time, output captured, and a wait until a URL answers.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DEV = join(import.meta.dirname, '../../src/entries/dev.ts');
const dirs: string[] = [];

export interface DevStack {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

/** A temporary DATA_DIR, removed by removeDevDirs. */
export async function tempDataDir(): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'marquee-dev-'));
  dirs.push(dataDir);
  return dataDir;
}

/** Without DATABASE_URL in `env` the stack uses its embedded Postgres, whatever the test run has. */
export async function startDev(env: Record<string, string>): Promise<DevStack> {
  const dataDir = await tempDataDir();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, ADMIN_LOGIN_ID: 'admin', ...env };
  if (!('DATABASE_URL' in env)) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, [DEV], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
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

// What the bench knows of a server it started: where it listens and how to stop it. Node servers
// are plain child processes (their output goes to a log file) that are ready once /health answers.
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../../src/local/embedded-postgres.ts';

export const ROOT = join(import.meta.dirname, '../..');

export interface Server {
  url: string;
  /** Stops and starts it again where it was (the Durable Object eviction drill). */
  restart?(): Promise<void>;
  /** What the runtime said when it crashed on its own (workerd, restarted by Miniflare), so far. */
  crashes?(): string[];
  /** The server process's peak resident memory so far (Linux's VmHWM), in MiB. */
  peakMemoryMiB(): Promise<number | undefined>;
  /** The CPU time the server process has used so far (user and system), in ms. */
  cpuMs(): Promise<number | undefined>;
  stop(): Promise<void>;
}

export async function startNodeServer(
  script: string,
  env: Record<string, string>,
  logFile: string,
): Promise<Server> {
  const port = await freePort();
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, logFile);
  return {
    url,
    peakMemoryMiB: () => peakMemoryMiB(child.pid),
    cpuMs: () => cpuMs(child.pid),
    stop: () => stopChild(child),
  };
}

/** A process's peak resident memory (VmHWM in /proc), in MiB; undefined where there is none. */
export async function peakMemoryMiB(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

/** A process's CPU time so far, user and system (/proc's clock ticks, 100 a second), in ms. */
export async function cpuMs(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * Starts counting what a server's process spends (as machine.ts's cpuMeter does for this one): the
 * function returned says how many ms of CPU it has used since, NaN where that cannot be read.
 */
export async function serverCpuMeter(server: Pick<Server, 'cpuMs'>): Promise<() => Promise<number>> {
  const before = (await server.cpuMs()) ?? Number.NaN;
  return async () => ((await server.cpuMs()) ?? Number.NaN) - before;
}

/** The ids of a process's children named `name` (e.g. the workerd a Miniflare host started). */
export async function childrenNamed(pid: number | undefined, name: string): Promise<number[]> {
  if (pid === undefined) return [];
  const found: number[] = [];
  for (const task of await readdir(`/proc/${pid}/task`).catch(() => [])) {
    const children = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
    for (const child of children.split(/\s+/).filter(Boolean).map(Number)) {
      const comm = await readFile(`/proc/${child}/comm`, 'utf8').catch(() => '');
      if (comm.trim() === name) found.push(child);
    }
  }
  return found;
}

export async function waitForHealth(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}); see ${logFile}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`server at ${url} never became healthy; see ${logFile}`);
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** A runtime under test: Marquee on it, and its two baselines. */
export interface RuntimeKit {
  name: string;
  /** The runtime's no-op route (a tiny Hono app). */
  noop(): Promise<Server>;
  /** The barest correct seat booking the runtime's design allows. */
  bareBooking(): Promise<Server>;
  /** Marquee with these settings (DATABASE_URL and the coordinator's address are the kit's). */
  marquee(settings: Record<string, string>): Promise<Server>;
}

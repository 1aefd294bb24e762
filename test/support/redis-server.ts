// A redis-server of a test's or drill's own on a port of its own, with nothing saved: killing it and
// starting it again on the same port is Redis coming back empty.
import { type ChildProcess, spawn } from 'node:child_process';
import { createClient } from '@redis/client';

export interface RedisServer {
  url: string;
  kill(): Promise<void>;
  start(): Promise<void>;
}

export function redisServer(port: number): RedisServer {
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  return {
    url,
    async start() {
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {
          stdio: 'ignore',
        },
      );
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const client = createClient({ url, socket: { reconnectStrategy: false } });
        client.on('error', () => {});
        try {
          await client.connect();
          await client.ping();
          await client.close();
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      throw new Error(`redis-server on port ${port} did not start`);
    },
    /** SIGKILL: no shutdown, nothing flushed. */
    async kill() {
      const dying = child;
      if (!dying || dying.exitCode !== null || dying.signalCode !== null) return; // gone already
      const exited = new Promise((resolve) => dying.once('exit', resolve));
      dying.kill('SIGKILL');
      await exited;
    },
  };
}

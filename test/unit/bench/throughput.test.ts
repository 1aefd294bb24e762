// The bench's fixed load reports what the server's own process spent a request: checked against a
// child server that spends a known CPU time on each answer (it spins 300 µs before answering).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { cpuMs, stopChild } from '../../../bench/runtimes/server.ts';
import { measureRequest } from '../../../bench/throughput.ts';

const SPIN_US = 300;
const SERVER = `
const http = require('node:http');
http.createServer((request, response) => {
  const until = performance.now() + ${SPIN_US} / 1000;
  while (performance.now() < until) {}
  response.end('ok');
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;

let child: ChildProcess | undefined;
afterEach(async () => {
  if (child) await stopChild(child);
  child = undefined;
});

async function spinningServer(): Promise<{ url: string; pid: number | undefined }> {
  child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [port] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${port.toString().trim()}`, pid: child.pid };
}

describe('bench fixed load', () => {
  it("reports the server process's CPU per answered request", async () => {
    const server = await spinningServer();
    const result = await measureRequest(
      { url: server.url, cpuMs: () => cpuMs(server.pid) },
      { path: '/' },
      { connections: 4, durationSeconds: 1 },
    );
    expect(result.statusCodes['200']).toBeGreaterThan(100);
    // At least the spin; less than ten times it (a request's own cost is tens of µs here).
    expect(result.serverCpuUs).toBeGreaterThanOrEqual(SPIN_US * 0.9);
    expect(result.serverCpuUs).toBeLessThan(SPIN_US * 10);
  });

  it('says NaN where the server has no process to read', async () => {
    const server = await spinningServer();
    const result = await measureRequest(
      { url: server.url, cpuMs: async () => undefined },
      { path: '/' },
      { connections: 1, durationSeconds: 1 },
    );
    expect(result.requestsPerSecond).toBeGreaterThan(0);
    expect(result.serverCpuUs).toBeNaN();
  });
});

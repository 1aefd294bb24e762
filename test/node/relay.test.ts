import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startRelay } from '../../src/local/ws-relay.ts';

const relay = await startRelay({ host: '127.0.0.1', port: 5432 });
afterAll(() => relay.close());

describe('WebSocket-to-TCP relay', () => {
  it('refuses to dial anything but its own Postgres', async () => {
    const socket = new WebSocket(`ws://${relay.proxy}?address=10.0.0.1:22`);
    const code = await new Promise<number>((resolve) =>
      socket.on('close', (closeCode) => resolve(closeCode)),
    );
    expect(code).toBe(1008);
  });
});

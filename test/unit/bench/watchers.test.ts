// The bench's live-map watchers against a small WebSocket server of the test's own: versions and
// maps checked, and each caused change matched to the version it arrived in, occurrence by occurrence.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { Watchers } from '../../../bench/watchers.ts';

let server: WebSocketServer | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function liveServer(): Promise<{ url: string; send: (message: unknown) => void }> {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server?.once('listening', resolve));
  server.on('connection', (socket) =>
    socket.send(
      JSON.stringify({
        type: 'snapshot',
        version: 5,
        seats: [
          { seatId: 'A', status: 'AVAILABLE' },
          { seatId: 'B', status: 'AVAILABLE' },
        ],
      }),
    ),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    send: (message) => {
      for (const client of server?.clients ?? []) client.send(JSON.stringify(message));
    },
  };
}

describe('bench watchers', () => {
  it('matches every occurrence of a change to the version it came in, for every watcher', async () => {
    const live = await liveServer();
    const watchers = await Watchers.open(live.url, 3);
    const batches: [number, { seatId: string; status: string }[]][] = [
      [6, [{ seatId: 'A', status: 'HOLD' }]],
      [7, [{ seatId: 'B', status: 'HOLD' }]],
      [8, [{ seatId: 'A', status: 'AVAILABLE' }]],
      [9, [{ seatId: 'A', status: 'HOLD' }]],
    ];
    const sentAt: number[] = [];
    for (const [version, changes] of batches) {
      sentAt.push(performance.now());
      live.send({ type: 'seats', version, changes, committedAt: Date.now() });
      await watchers.check({ version, seats: [] }); // every watcher has it before the next is sent
    }
    const final = {
      version: 9,
      seats: [
        { seatId: 'A', status: 'HOLD' },
        { seatId: 'B', status: 'HOLD' },
      ],
    };
    expect(await watchers.check(final)).toEqual({ watchers: 3, gaps: 0, resyncs: 0, mismatched: 0 });

    // The second HOLD of A was caused just before version 9 was sent: it is matched to version 9.
    const lag = watchers.lag([
      { seatId: 'A', status: 'HOLD', sent: sentAt[0]! - 1, at: sentAt[0]! },
      { seatId: 'B', status: 'HOLD', sent: sentAt[1]! - 1, at: sentAt[1]! },
      { seatId: 'A', status: 'HOLD', sent: sentAt[3]! - 1, at: sentAt[3]! },
    ]);
    expect(lag.afterCommit).toHaveLength(3 * 4);
    expect(lag.afterAnswer).toHaveLength(3 * 3);
    expect(lag.fanOut).toHaveLength(3);
    // Each arrived after its change was caused and before the next version was sent: its own version.
    const [a1, b1, b2] = [sentAt[0]!, sentAt[1]!, sentAt[2]!];
    const within = (values: number[], below: number) => values.every((value) => value >= 0 && value < below);
    expect(within(lag.afterAnswer.slice(0, 3), b1 - a1)).toBe(true); // A HOLD, first: version 6
    expect(within(lag.afterAnswer.slice(3, 6), Number.POSITIVE_INFINITY)).toBe(true); // A HOLD again: 9
    expect(within(lag.afterAnswer.slice(6, 9), b2 - b1)).toBe(true); // B HOLD: version 7
    watchers.close();
  });

  it('counts a version gap and a watcher whose map ends elsewhere', async () => {
    const live = await liveServer();
    const watchers = await Watchers.open(live.url, 2);
    live.send({ type: 'seats', version: 7, changes: [{ seatId: 'A', status: 'HOLD' }] });
    const final = {
      version: 7,
      seats: [
        { seatId: 'A', status: 'HOLD' },
        { seatId: 'B', status: 'AVAILABLE' },
      ],
    };
    const checked = await watchers.check(final);
    expect(checked).toEqual({ watchers: 2, gaps: 2, resyncs: 0, mismatched: 0 });
    expect(await watchers.check({ ...final, seats: [{ seatId: 'A', status: 'AVAILABLE' }] })).toMatchObject({
      mismatched: 2,
    });
    watchers.close();
  });
});

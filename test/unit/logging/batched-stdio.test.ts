// The Node log writer: the lines of one turn of the event loop leave in one write per stream, in the
// order they were logged, warnings and errors on stderr.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { batchedStdio } from '../../../src/adapters/logging/batched-stdio.ts';

describe('batchedStdio', () => {
  it('writes one chunk per stream per turn, in order', async () => {
    const writes: [number, string][] = [];
    const write = batchedStdio((fd, chunk) => writes.push([fd, chunk]));
    write('info', 'one');
    write('warn', 'careful');
    write('info', 'two');
    write('error', 'broken');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual([
      [1, 'one\ntwo\n'],
      [2, 'careful\nbroken\n'],
    ]);
    write('debug', 'three');
    await nextTurn();
    expect(writes.at(-1)).toEqual([1, 'three\n']);
    expect(writes).toHaveLength(3);
  });
});

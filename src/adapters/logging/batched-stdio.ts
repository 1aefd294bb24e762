// Log lines of a Node process, written once per turn of the event loop: one write(2) for every line
// a busy second's requests produced in that turn, instead of a console call and a write each (on
// Linux, Node writes to files and pipes synchronously). Warnings and errors go to stderr, the rest
// to stdout, each in the order logged. What is still buffered is written when the process exits.
import { writeSync } from 'node:fs';
import type { LogWriter } from '../../log.ts';

/** `write` is the one syscall-sized step (file descriptor, chunk); tests pass their own. */
export function batchedStdio(write: (fd: 1 | 2, chunk: string) => void = writeAll): LogWriter {
  let out: string[] = [];
  let err: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (out.length > 0) {
      const chunk = `${out.join('\n')}\n`;
      out = [];
      write(1, chunk);
    }
    if (err.length > 0) {
      const chunk = `${err.join('\n')}\n`;
      err = [];
      write(2, chunk);
    }
  };
  process.on('exit', flush);
  return (level, line) => {
    (level === 'error' || level === 'warn' ? err : out).push(line);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}

/** writeSync may write part of a long chunk (a pipe that is full): the rest follows. */
function writeAll(fd: number, chunk: string): void {
  let rest = Buffer.from(chunk);
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(fd, rest));
    } catch (error) {
      // A pipe that would block (its reader is slow): try again; a closed one loses the lines.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return;
    }
  }
}

/** Where a CLI command writes, so commands can run in-process in tests as well. */
import { writeSync } from 'node:fs';

export interface Io {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** True once the reader of stdout has gone (`safemig check | head`): nothing more will be read. */
  stdoutClosed?(): boolean;
}

let stdoutClosed = false;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `text` to the standard output before returning. process.stdout queues what a
 * full pipe does not take and only notices a reader that has gone when the event loop turns,
 * which a long check does not let it do: the check would go on to the end, its report held in
 * memory. Written at once, a closed pipe (EPIPE) is known at the next write.
 */
function writeStdout(text: string): void {
  let bytes = Buffer.from(text);
  while (!stdoutClosed && bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(1, bytes));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A non-blocking pipe that is full: wait a millisecond for the reader.
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1);
      else if (code === 'EPIPE') stdoutClosed = true;
      else throw error;
    }
  }
}

export const processIo: Io = {
  cwd: process.cwd(),
  stdout: writeStdout,
  stderr: (text) => process.stderr.write(text),
  stdoutClosed: () => stdoutClosed,
};

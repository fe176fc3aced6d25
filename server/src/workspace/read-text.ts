/**
 * Reading a file as text, refusing what is not: binary files, UTF-16, invalid UTF-8, unreadable
 * paths, and anything that is not a regular file of a sane size. `DiskFileSystem.readText` reads
 * through these, once per file; every command that reads a migration or a config file from a
 * repository reads it here, so a cloned repository cannot make safemig read without end.
 */
import { BigIntStats, closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export type TextRead = { text: string } | { problem: string };

/** Far above any migration (the largest seen is a few MB), far below what would exhaust memory. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The bytes of a regular file of at most MAX_FILE_BYTES. The file is opened without blocking (a
 * FIFO would wait for a writer) and checked on its descriptor before a byte is read, so a device
 * (`/dev/zero`), a FIFO, a socket, or a symlink to one is refused at once; at most one byte past
 * the limit is ever read, should the file grow meanwhile.
 */
export function readBytes(path: string, opened?: (stat: BigIntStats) => void): Buffer | { problem: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { problem: openProblem(error as NodeJS.ErrnoException) };
  }
  try {
    const stat = fstatSync(fd, { bigint: true });
    opened?.(stat);
    if (stat.isDirectory()) return { problem: 'is a directory' };
    if (!stat.isFile()) return { problem: `not a regular file (${kindOf(stat)})` };
    const size = Number(stat.size);
    if (size > MAX_FILE_BYTES) return { problem: tooLarge(size) };
    // Read to the end, not to the stated size: some files (procfs) state 0 and hold more.
    let buffer = Buffer.allocUnsafe(size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(Math.min(buffer.length, MAX_FILE_BYTES + 1 - length))]);
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) return buffer.subarray(0, length);
      length += n;
      if (length > MAX_FILE_BYTES) return { problem: tooLarge(length) };
    }
  } catch (error) {
    return { problem: openProblem(error as NodeJS.ErrnoException) };
  } finally {
    closeSync(fd);
  }
}

function openProblem(error: NodeJS.ErrnoException): string {
  const code = error.code;
  return code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? error.message})`;
}

const tooLarge = (bytes: number) => `too large (${(bytes / 1048576).toFixed(1)} MB; files over ${MAX_FILE_BYTES / 1048576} MB are not read)`;

function kindOf(stat: BigIntStats): string {
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

export function decodeText(bytes: Uint8Array): TextRead {
  const utf16 = byteOrderMark(bytes);
  if (utf16) return { problem: `${utf16} text (save it as UTF-8 to have it checked)` };
  const nul = bytes.indexOf(0);
  if (nul >= 0 && nul < 8192) return { problem: 'not a text file (binary content)' };
  // Further in, a NUL is not SQL either: the parser would read the text as ending there.
  if (nul >= 0) return { problem: `not a text file (a NUL byte at byte ${nul})` };
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    return { problem: 'not valid UTF-8 text' };
  }
}

/** The encoding a UTF-16 or UTF-32 byte order mark announces (such text is full of NUL bytes). */
function byteOrderMark(b: Uint8Array): string | undefined {
  if (b[0] === 0xff && b[1] === 0xfe) return b[2] === 0 && b[3] === 0 ? 'UTF-32' : 'UTF-16';
  if (b[0] === 0xfe && b[1] === 0xff) return 'UTF-16';
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return 'UTF-32';
  return undefined;
}

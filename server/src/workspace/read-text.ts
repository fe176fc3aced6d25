/**
 * Reading a file as text, refusing what is not: binary files, invalid UTF-8, unreadable paths.
 * `DiskFileSystem.readText` reads through these, once per file.
 */
import { readFileSync } from 'node:fs';

export type TextRead = { text: string } | { problem: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

export function readBytes(path: string): Buffer | { problem: string } {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? (error as Error).message})` };
  }
}

export function decodeText(bytes: Uint8Array): TextRead {
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

/**
 * The files a database command runs, read exactly as `safemig check` reads them: what check
 * refuses to analyse (binary, a NUL, invalid UTF-8, …) is refused here with the same words,
 * before anything runs, instead of being sent with U+FFFD in place of its bytes.
 */
import type { FileSystem } from '../migration/model';
import type { TextRead } from '../workspace/read-text';
import type { Plan } from './plan';
import { PlanError } from './plan';

/** A FileSystem that can say why a file is not text (DiskFileSystem). */
export interface TextFileSystem extends FileSystem {
  readText(path: string): TextRead;
}

/** The file's text; PlanError (nothing ran) when check would not read it either. */
export function readRunnable(fs: TextFileSystem, path: string): string {
  const read = fs.readText(path);
  if ('problem' in read) throw new PlanError(unreadable(path, read.problem));
  return read.text;
}

/** The plan's files that were read through the lenient `readFile` (a twin): refused as check refuses them. */
export function refuseUnreadable(fs: TextFileSystem, plan: Plan, alreadyRead: string): void {
  for (const file of plan.files) {
    if (file.path !== alreadyRead) readRunnable(fs, file.path);
  }
}

export function unreadable(path: string, problem: string): string {
  return `${path}: ${problem} (safemig check refuses it too)`;
}

/**
 * The pipeline's second stage: a file's text → its convention, its UP / DOWN parts and the files
 * the convention names (the twin's text and convention, the folder listing it used). Everything
 * later stages need is read here; model building (migration.ts) reads no file.
 *
 * Runs on every keystroke: one linear pass over the text, each directory listed at most once per
 * call, and never throws (odd input is a 'plain' file with one whole-file part).
 */
import { conventionNamed, detect } from './conventions';
import { isCodeFile } from './conventions/code';
import { FileContext } from './conventions/file';
import { scanMarkers } from './conventions/markers';
import { wholePart } from './conventions/sections';
import type { ConventionInfo, ConventionName, FileSystem } from './model';

export interface Recognition {
  path: string;
  text: string;
  convention: ConventionInfo;
  /** The other file of the migration, when it exists and was asked for: its text and its own convention. */
  twin?: { path: string; text: string; convention: ConventionInfo };
  /** The file's folder as detection listed it, when it listed it. */
  folder?: string[];
}

export interface RecogniseOptions {
  /** The config's `convention`: overrides detection; parts still come from the forced convention's markers. */
  forced?: ConventionName;
  /** Read the twin too (default true). */
  twin?: boolean;
}

export function recognise(path: string, text: string, fs: FileSystem, options: RecogniseOptions = {}): Recognition {
  const { convention, folder } = recogniseFile(path, text, fs, options.forced);
  const out: Recognition = { path, text, convention };
  if (folder) out.folder = folder;
  if ((options.twin ?? true) && convention.twin && convention.twinExists) {
    const twinText = readOrUndefined(fs, convention.twin);
    if (twinText !== undefined) {
      out.twin = { path: convention.twin, text: twinText, convention: recogniseFile(convention.twin, twinText, fs, options.forced).convention };
    }
  }
  return out;
}

/** The convention of the migration file at `path` (absolute) whose current text is `text`. */
export function detectConvention(path: string, text: string, fs: FileSystem, forced?: ConventionName): ConventionInfo {
  return recogniseFile(path, text, fs, forced).convention;
}

function recogniseFile(path: string, text: string, fs: FileSystem, forced: ConventionName | undefined): { convention: ConventionInfo; folder?: string[] } {
  let bom = 0;
  try {
    const scan = scanMarkers(text);
    bom = scan.bom;
    const file = new FileContext(path, text, scan, fs);
    if (isCodeFile(path)) {
      // TypeScript / JavaScript: a migration only by its folder and shape, whatever the config forces.
      const code = detect(file);
      const info = code.read(file);
      return { convention: info.embedded ? info : NOT_A_MIGRATION, folder: file.listed() };
    }
    const convention = scan.binary && !forced ? conventionNamed('plain') : forced ? conventionNamed(forced) : detect(file);
    return { convention: convention.read(file), folder: file.listed() };
  } catch {
    return { convention: { name: 'plain', role: 'migration', parts: [wholePart(text, bom, 'up', false)], twinExists: false, expectsRollback: true } };
  }
}

/** A code file that is not a migration (application code): no parts, nothing to lint. */
const NOT_A_MIGRATION: ConventionInfo = { name: 'plain', role: 'migration', parts: [], twinExists: false, expectsRollback: false };

function readOrUndefined(fs: FileSystem, path: string): string | undefined {
  try {
    return fs.readFile(path);
  } catch {
    return undefined;
  }
}

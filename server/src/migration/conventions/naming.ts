/** Shared by the convention modules' authoring: the names a choice writes in an empty folder. */
import { DEFAULT_DESCRIPTION_STYLE } from '../../authoring/description';
import type { VersionScheme } from '../../authoring/version';
import type { NamingStyle } from './types';

export function naming(scheme: VersionScheme, separator = '_', prefix = ''): NamingStyle {
  return { scheme, prefix, separator, describe: true, description: DEFAULT_DESCRIPTION_STYLE };
}

/** `YYYYMMDD`. */
export const DAY: VersionScheme = { kind: 'time', layout: { unit: 'day', dashed: false, extraDigits: 0, extraDash: false } };
/** `YYYYMMDDHHMMSS`. */
export const SECOND: VersionScheme = { kind: 'time', layout: { unit: 'second', dashed: false, extraDigits: 0, extraDash: false } };
/** diesel's `YYYY-MM-DD-HHMMSS`. */
export const DASHED_SECOND: VersionScheme = { kind: 'time', layout: { unit: 'second', dashed: true, extraDigits: 0, extraDash: false } };
/** `001`. */
export const SEQUENTIAL_3: VersionScheme = { kind: 'sequential', width: 3 };

/** The file at `path`, or undefined when it cannot be read. */
export function readOrUndefined(fs: { readFile(path: string): string | undefined }, path: string): string | undefined {
  try {
    return fs.readFile(path);
  } catch {
    return undefined;
  }
}

/** A small, strict argument parser: known flags only, clear usage errors. */
export class UsageError extends Error {}

export interface FlagSpec {
  /** Flags that take a value (`--format json`). */
  values?: string[];
  /** Flags that take none (`--yes`). */
  booleans?: string[];
}

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string>;
  booleans: Set<string>;
}

export function parseArgs(argv: string[], spec: FlagSpec): ParsedArgs {
  const out: ParsedArgs = { positionals: [], values: {}, booleans: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (spec.values?.includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      out.values[name] = value;
    } else if (spec.booleans?.includes(name) && eq < 0) {
      out.booleans.add(name);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return out;
}

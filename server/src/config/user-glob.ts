/**
 * Globs written by a repository's config (`migrations`), matched in linear time: translated to a
 * pattern for RE2's engine (user-regex.ts). A glob library's backtracking regexes take
 * exponential time on `**∕*a*a*a*a*a*a*a*a*a*a*a*a*b.sql` against a long name; these cannot.
 *
 * Syntax: `*` (within a path part), `**` (a whole part: any number of parts), `?`, `[abc]`,
 * `[a-z]`, `[!abc]` / `[^abc]`, `{a,b}` (nested too), `\` to escape. Dotfiles match like any
 * name. Extglobs (`+(…)`, `!(…)`, …) and negated globs (`!glob`) are refused at config load.
 */
import { userRegex } from './user-regex';

/** Why a glob cannot be used, or undefined when it can. */
export function globProblem(glob: string): string | undefined {
  if (glob.startsWith('!')) return 'negated globs ("!…") are not supported: list the globs to include';
  if (/(?<!\\)[?*+@!]\(/.test(glob)) return 'extglobs ("+(…)", "!(…)", …) are not supported: use {a,b} alternatives';
  try {
    globToRegex(glob);
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

const matchers = new Map<string, (path: string) => boolean>();

/** A matcher of `/`-separated relative paths for `glob`, compiled once. */
export function globMatcher(glob: string): (path: string) => boolean {
  let match = matchers.get(glob);
  if (!match) {
    const regex = userRegex(globToRegex(glob));
    match = (path) => regex.test(path);
    matchers.set(glob, match);
  }
  return match;
}

/** The glob as an anchored regular expression (RE2 syntax). */
export function globToRegex(glob: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    const atPartStart = i === 0 || glob[i - 1] === '/';
    if (c === '*' && glob[i + 1] === '*' && atPartStart && (i + 2 === glob.length || glob[i + 2] === '/')) {
      // `**` as a whole part: any number of parts (none included), so `a/**` also matches `a`.
      if (i + 2 < glob.length) out += '(?:[^/]*/)*';
      else if (i === 0) out += '.*';
      else out = `${out.slice(0, -2)}(?:/.*)?`;
      i += 2; // past `**/` (or the end)
      continue;
    }
    if (c === '*') {
      while (glob[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) throw new Error(`"[" at ${i + 1} has no closing "]"`);
      let set = glob.slice(i + 1, close);
      const negated = set.startsWith('!') || set.startsWith('^');
      if (negated) set = set.slice(1);
      out += `[${negated ? '^/' : ''}${set.replace(/[\\\]^[]/g, (x) => (x === '\\' ? '\\\\' : `\\${x}`))}]`;
      i = close;
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) {
      out += '|';
    } else if (c === '\\' && i + 1 < glob.length) {
      out += escape(glob[++i]);
    } else {
      out += escape(c);
    }
  }
  if (braces > 0) throw new Error('"{" has no closing "}"');
  return `^${out}$`;
}

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

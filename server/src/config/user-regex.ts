/**
 * Regular expressions written by a repository's config (`fileNamePattern`,
 * `database.productionPattern`) run on RE2's engine (re2js), which matches in time linear in the
 * text: a cloned repository's `^(a+)+$` cannot hang the linter or the editor as it would on
 * JavaScript's backtracking engine. The syntax is JavaScript's less what needs backtracking
 * (backreferences, lookaround), which config validation refuses with a clear message.
 */
import { RE2JS } from 're2js';

export interface UserRegex {
  test(text: string): boolean;
}

/** Compiles a config's pattern (JavaScript syntax); throws a SyntaxError saying what RE2 refuses. */
export function userRegex(source: string, options: { ignoreCase?: boolean } = {}): UserRegex {
  const key = `${options.ignoreCase ? 'i' : '-'}${source}`;
  let compiled = compiledCache.get(key);
  if (!compiled) {
    compiled = compile(source, options.ignoreCase === true);
    compiledCache.set(key, compiled);
  }
  return compiled;
}

/** A rule asks for the same few patterns for every file it checks. */
const compiledCache = new Map<string, UserRegex>();

function compile(source: string, ignoreCase: boolean): UserRegex {
  let pattern: RE2JS;
  try {
    pattern = RE2JS.compile(RE2JS.translateRegExp(source), ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    throw new SyntaxError((error as Error).message.replace(/^error parsing regexp: /, ''));
  }
  return { test: (text) => pattern.matcher(text).find() };
}

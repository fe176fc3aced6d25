/**
 * A new migration's description: checked, split into words, and written in a folder's case and
 * separator (`add retry columns` → `add_retry_columns`, `AddRetryColumns`, `add-retry-columns`).
 */

export type WordCase = 'lower' | 'upper' | 'title' | 'pascal' | 'camel' | 'keep';

export interface DescriptionStyle {
  /** Between words: `_`, `-`, or '' (PascalCase / camelCase). */
  separator: string;
  wordCase: WordCase;
}

export const DEFAULT_DESCRIPTION_STYLE: DescriptionStyle = { separator: '_', wordCase: 'lower' };

/** Why a description cannot name a migration, or undefined when it can. */
export function descriptionProblem(description: string): string | undefined {
  if (description.trim() === '') return 'The description is empty: say what the migration does, e.g. "add retry columns".';
  if (/[/\\]/.test(description)) return 'The description must not contain "/" or "\\": it becomes part of a file name.';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(description.replace(/[\t\n\r]/g, ' '))) return 'The description must not contain control characters.';
  if (descriptionWords(description).length === 0) return 'The description has no letters or digits to build a file name from.';
  return undefined;
}

/** The description as written into headers: trimmed, whitespace collapsed. */
export function displayDescription(description: string): string {
  return description.trim().replace(/\s+/g, ' ');
}

// Letters without case (CJK) count as lower case: they never start a new hump.
const HUMPS = /\p{Lu}+(?=\p{Lu}[\p{Ll}\p{Lo}])|\p{Lu}?[\p{Ll}\p{Lo}\p{Lm}\p{M}]+[\p{N}.]*|\p{Lu}+[\p{M}\p{N}.]*|[\p{N}.]+[\p{Ll}\p{Lo}\p{Lu}\p{M}]*/gu;

/**
 * The words of a description: runs of letters and digits, split at spaces, punctuation and
 * camelCase humps; a dot between digits stays (`v2.16 schema` → `v2.16`, `schema`).
 */
export function descriptionWords(description: string): string[] {
  const words: string[] = [];
  // `user's email` → user, email: an apostrophe does not split a word.
  const text = description.replace(/(?<=\p{L})['\u2019](?=\p{L})/gu, '');
  for (const run of text.match(/[\p{L}\p{M}\p{N}]+(?:\.\p{N}+)*/gu) ?? []) {
    // `addRetryColumns` → add, Retry, Columns; `HTTPServer` → HTTP, Server; `v2` stays.
    words.push(...(run.match(HUMPS) ?? [run]));
  }
  return words.filter((w) => w !== '');
}

/** The description in a folder's style. */
export function formatDescription(description: string, style: DescriptionStyle): string {
  const words = descriptionWords(description);
  const cased = words.map((word, i) => {
    switch (style.wordCase) {
      case 'lower':
        return word.toLowerCase();
      case 'upper':
        return word.toUpperCase();
      case 'title':
      case 'pascal':
        return capitalise(word);
      case 'camel':
        return i === 0 ? word.toLowerCase() : capitalise(word);
      case 'keep':
        return word;
    }
  });
  return cased.join(style.separator);
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/**
 * The style most descriptions of a folder follow (`add_user_email`, `AddUserEmail`,
 * `create-users`). Descriptions of one word say nothing about the separator. Ties go to the
 * later description (the list is in run order). Without evidence, words are joined with
 * `fallbackSeparator` (the one between version and description: `001-init` → dashes).
 */
export function detectDescriptionStyle(descriptions: string[], fallbackSeparator = DEFAULT_DESCRIPTION_STYLE.separator): DescriptionStyle {
  const separators = new Map<string, number>();
  const cases = new Map<WordCase, number>();
  descriptions.forEach((raw, i) => {
    // `add_x.autocommit` (ory): the dotted suffix is not part of the description.
    const d = raw.replace(/\.[a-z]+$/i, '');
    if (!/[\p{L}]/u.test(d)) return;
    const weight = 1 + i / (descriptions.length * 10); // later ones break ties
    const sep = separatorOf(d);
    if (sep !== undefined) separators.set(sep, (separators.get(sep) ?? 0) + weight);
    const c = caseOf(d, sep);
    if (c) cases.set(c, (cases.get(c) ?? 0) + weight);
  });
  const wordCase = best(cases) ?? DEFAULT_DESCRIPTION_STYLE.wordCase;
  // PascalCase and camelCase have no separator; other cases need one.
  if (wordCase === 'pascal' || wordCase === 'camel') return { separator: '', wordCase };
  separators.delete('');
  return { separator: best(separators) ?? fallbackSeparator, wordCase };
}

function separatorOf(d: string): string | undefined {
  const counts: [string, number][] = [
    ['_', (d.match(/_/g) ?? []).length],
    ['-', (d.match(/-/g) ?? []).length],
    [' ', (d.match(/ /g) ?? []).length],
  ];
  counts.sort((a, b) => b[1] - a[1]);
  if (counts[0][1] > 0) return counts[0][0] === ' ' ? '_' : counts[0][0];
  // One run of letters with inner capitals: PascalCase or camelCase.
  if (/^\p{L}[\p{L}\p{N}]*$/u.test(d) && /\p{Ll}\p{Lu}/u.test(d)) return '';
  return undefined;
}

function caseOf(d: string, sep: string | undefined): WordCase | undefined {
  const letters = d.replace(/[^\p{L}]/gu, '');
  if (letters === '') return undefined;
  if (sep === '') return /^\p{Lu}/u.test(d) ? 'pascal' : 'camel';
  if (letters === letters.toLowerCase()) return 'lower';
  if (letters === letters.toUpperCase()) return 'upper';
  const words = d.split(/[_\-\s]+/).filter((w) => /\p{L}/u.test(w));
  if (words.every((w) => /^[\p{Lu}\p{N}]/u.test(w))) return 'title';
  return 'keep';
}

function best<K>(counts: Map<K, number>): K | undefined {
  let out: K | undefined;
  let max = 0;
  for (const [k, n] of counts) {
    if (n > max) {
      max = n;
      out = k;
    }
  }
  return out;
}

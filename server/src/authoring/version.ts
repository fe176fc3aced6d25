/**
 * How a folder numbers its migrations, and the next number: sequential (`001`, `1`, `0001`),
 * date (`20251122`), timestamp (`20251122093000`, diesel `2019-02-26-002946`, ory's 20 digits),
 * unix seconds, Flyway (`1`, `1.1`, `1_1`). The next version sorts after every existing one and
 * never equals one, whatever its file (an `.up`/`.down` pair, a rollback twin).
 */
import { compareVersions, sameVersion } from '../migration/names';

/** A date-time version: which fields it holds and how it is written. */
export interface TimeLayout {
  /** The finest field: `20251122` is day, `202511220930` minute, `20251122093000` second. */
  unit: 'day' | 'minute' | 'second';
  /** diesel's `2019-02-26-002946`; kysely's `2024_01_15` (`separator` '_'). */
  dashed: boolean;
  /** What joins the parts of a dashed version: '-' unless '_'. */
  separator?: '_';
  /** Digits after the seconds: ory's `20260420120000000000` has 6, diesel's `…-0000` has 4. */
  extraDigits: number;
  /** The extra digits follow a dash (diesel `2019-02-26-002946-0000`). */
  extraDash: boolean;
}

export type VersionScheme =
  | { kind: 'sequential'; width: number }
  | { kind: 'time'; layout: TimeLayout }
  | { kind: 'unix' }
  /** Unix time in milliseconds (`1700000000000`): node-pg-migrate and TypeORM name files so. */
  | { kind: 'unixMillis' }
  /** Flyway-style dotted versions: the last part counts up (`1.9` → `1.10`). */
  | { kind: 'dotted'; separator: '.' | '_'; width: number }
  /** sqitch: changes have names, not versions. */
  | { kind: 'none' };

/** The scheme a version written as `raw` (`001`, `2019-02-26-002946`, flyway `1_1`) follows. */
export function schemeOf(raw: string): VersionScheme {
  let m = DASHED.exec(raw);
  if (m) {
    const unit = m[5] ? 'second' : 'day';
    return { kind: 'time', layout: { unit, dashed: true, ...(m[2] === '_' ? { separator: '_' } : {}), extraDigits: m[6]?.length ?? 0, extraDash: m[6] !== undefined } };
  }
  if (/^\d+$/.test(raw)) {
    const n = raw.length;
    if (n === 10 && raw[0] === '1') return { kind: 'unix' };
    if (n === 13 && raw[0] === '1') return { kind: 'unixMillis' };
    if (looksLikeDate(raw)) {
      if (n === 8) return { kind: 'time', layout: { unit: 'day', dashed: false, extraDigits: 0, extraDash: false } };
      if (n === 12) return { kind: 'time', layout: { unit: 'minute', dashed: false, extraDigits: 0, extraDash: false } };
      if (n >= 14) return { kind: 'time', layout: { unit: 'second', dashed: false, extraDigits: n - 14, extraDash: false } };
    }
    return { kind: 'sequential', width: raw.length > 1 && raw[0] === '0' ? raw.length : 0 };
  }
  m = /^\d+(?:([._])\d+)+$/.exec(raw);
  if (m) {
    const last = raw.split(/[._]/).pop()!;
    return { kind: 'dotted', separator: m[1] as '.' | '_', width: last.length > 1 && last[0] === '0' ? last.length : 0 };
  }
  return { kind: 'sequential', width: 0 };
}

function looksLikeDate(digits: string): boolean {
  return /^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])/.test(digits);
}

/** Same kind and, for times, the same layout: versions that can be compared digit for digit. */
export function sameScheme(a: VersionScheme, b: VersionScheme): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'time' && b.kind === 'time') return a.layout.unit === b.layout.unit && a.layout.dashed === b.layout.dashed && a.layout.separator === b.layout.separator;
  return true;
}

/**
 * The version after `existing` (raw versions as written in the folder) in `scheme`, at time `now`:
 * time-based versions use `now` (UTC) unless an existing one is as late, then one unit after it.
 */
export function nextVersion(folderScheme: VersionScheme, existing: string[], now: Date): string {
  const scheme = folderScheme.kind === 'time' ? finerWhenTaken(folderScheme.layout, existing, now) : folderScheme;
  let candidate = firstCandidate(scheme, existing, now);
  // Never equal to an existing version, whatever its style (`1` and `001` are the same version).
  for (let guard = 0; guard < 10_000 && existing.some((v) => v !== '' && sameVersion(v, candidate)); guard++) {
    candidate = bump(scheme, candidate);
  }
  return candidate;
}

function firstCandidate(scheme: VersionScheme, existing: string[], now: Date): string {
  switch (scheme.kind) {
    case 'none':
      return '';
    case 'sequential': {
      let max = 0n;
      for (const v of existing) {
        if (!/^\d+$/.test(v)) continue;
        const s = schemeOf(v);
        if (s.kind !== 'sequential') continue;
        const n = BigInt(v);
        if (n > max) max = n;
      }
      return pad(String(max + 1n), scheme.width);
    }
    case 'unix': {
      let max = BigInt(Math.floor(now.getTime() / 1000)) - 1n;
      for (const v of existing) if (/^\d{9,11}$/.test(v) && BigInt(v) > max) max = BigInt(v);
      return String(max + 1n);
    }
    case 'unixMillis': {
      let max = BigInt(now.getTime()) - 1n;
      for (const v of existing) if (/^\d{12,14}$/.test(v) && BigInt(v) > max) max = BigInt(v);
      return String(max + 1n);
    }
    case 'dotted': {
      let max: string | undefined;
      for (const v of existing) {
        if (!/^\d+(?:[._]\d+)*$/.test(v)) continue;
        const dotted = v.replace(/_/g, '.');
        if (max === undefined || compareVersions(dotted, max) > 0) max = dotted;
      }
      if (max === undefined) return '1';
      return bump(scheme, max.split('.').join(scheme.separator));
    }
    case 'time': {
      const layout = scheme.layout;
      let latest: Moment | undefined;
      for (const v of existing) {
        const moment = readMoment(v);
        if (moment && (!latest || compareMoments(moment, latest) > 0)) latest = moment;
      }
      const current = truncate({ stamp: stampOf(now), extra: 0n }, layout);
      if (!latest || compareMoments(current, latest) > 0) return writeMoment(current, layout);
      return writeMoment(after(latest, layout), layout);
    }
  }
}

/**
 * A day- or minute-versioned folder whose current day (minute) is taken: the time to the second,
 * in the folder's style (`20251122` → `20251122093000`, diesel `2019-02-26` → `2019-02-26-093000`),
 * instead of tomorrow's date. Both sort after the taken one, as text and as numbers; a version
 * dated in the future would say the migration was written on a day it was not.
 */
function finerWhenTaken(layout: TimeLayout, existing: string[], now: Date): VersionScheme {
  if (layout.unit === 'second') return { kind: 'time', layout };
  const latest = existing.map(readMoment).reduce<Moment | undefined>((a, m) => (m && (!a || compareMoments(m, a) > 0) ? m : a), undefined);
  const current = truncate({ stamp: stampOf(now), extra: 0n }, layout);
  if (!latest || compareMoments(current, latest) > 0) return { kind: 'time', layout };
  // A folder already dated in the future (a planned migration) is followed as it is.
  if (truncate(latest, layout).stamp !== current.stamp) return { kind: 'time', layout };
  return { kind: 'time', layout: { ...layout, unit: 'second', extraDigits: 0, extraDash: false } };
}

/** The version one step after `version` (already in `scheme`'s format). */
function bump(scheme: VersionScheme, version: string): string {
  switch (scheme.kind) {
    case 'sequential':
      return pad(String(BigInt(version) + 1n), scheme.width);
    case 'unix':
    case 'unixMillis':
      return String(BigInt(version) + 1n);
    case 'dotted': {
      const parts = version.split(/[._]/);
      const last = parts.pop()!;
      return [...parts, pad(String(BigInt(last) + 1n), scheme.width)].join(scheme.separator);
    }
    case 'time': {
      const moment = readMoment(version);
      return moment ? writeMoment(after(moment, scheme.layout), scheme.layout) : version + '1';
    }
    case 'none':
      return version;
  }
}

function pad(digits: string, width: number): string {
  return digits.length >= width ? digits : '0'.repeat(width - digits.length) + digits;
}

/** A point in time as `YYYYMMDDHHMMSS` (UTC) plus the digits some folders add after the seconds. */
interface Moment {
  stamp: string;
  extra: bigint;
}

function stampOf(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(date.getUTCFullYear()).padStart(4, '0')}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}`;
}

/** diesel's `2019-02-26[-002946[-0000]]`, kysely's `2024_01_15[_093000]`: year, separator, month, day, time, extra. */
const DASHED = /^(\d{4})([-_])(\d{2})\2(\d{2})(?:\2(\d{6}))?(?:-(\d+))?$/;

function readMoment(version: string): Moment | undefined {
  const dashed = DASHED.exec(version);
  if (dashed) return { stamp: `${dashed[1]}${dashed[3]}${dashed[4]}${dashed[5] ?? '000000'}`, extra: BigInt(dashed[6] ?? '0') };
  if (!/^\d{8,}$/.test(version) || version.length === 9 || version.length === 10 || version.length === 11 || version.length === 13) return undefined;
  const head = version.slice(0, 14).padEnd(14, '0');
  return { stamp: head, extra: BigInt(version.length > 14 ? version.slice(14) : '0') };
}

function compareMoments(a: Moment, b: Moment): number {
  if (a.stamp !== b.stamp) return a.stamp < b.stamp ? -1 : 1;
  return a.extra < b.extra ? -1 : a.extra > b.extra ? 1 : 0;
}

/** `moment` cut to the layout's unit (a day-versioned folder ignores the time of day). */
function truncate(moment: Moment, layout: TimeLayout): Moment {
  const keep = layout.unit === 'day' ? 8 : layout.unit === 'minute' ? 12 : 14;
  return { stamp: moment.stamp.slice(0, keep).padEnd(14, '0'), extra: layout.extraDigits > 0 ? moment.extra : 0n };
}

/** The next moment the layout can write after `moment`: the extra digits count up, else one unit. */
function after(moment: Moment, layout: TimeLayout): Moment {
  const base = truncate(moment, layout);
  if (layout.extraDigits > 0 && base.extra + 1n < 10n ** BigInt(layout.extraDigits)) return { stamp: base.stamp, extra: base.extra + 1n };
  const s = base.stamp;
  const date = new Date(Date.UTC(Number(s.slice(0, 4)), Number(s.slice(4, 6)) - 1, Number(s.slice(6, 8)), Number(s.slice(8, 10)), Number(s.slice(10, 12)), Number(s.slice(12, 14))));
  if (layout.unit === 'day') date.setUTCDate(date.getUTCDate() + 1);
  else if (layout.unit === 'minute') date.setUTCMinutes(date.getUTCMinutes() + 1);
  else date.setUTCSeconds(date.getUTCSeconds() + 1);
  return { stamp: stampOf(date), extra: 0n };
}

function writeMoment(moment: Moment, layout: TimeLayout): string {
  const s = moment.stamp;
  const extra = layout.extraDigits > 0 ? pad(String(moment.extra), layout.extraDigits) : '';
  if (layout.dashed) {
    const sep = layout.separator ?? '-';
    const date = `${s.slice(0, 4)}${sep}${s.slice(4, 6)}${sep}${s.slice(6, 8)}`;
    const time = layout.unit === 'day' ? '' : `${sep}${s.slice(8, 14)}`;
    return date + time + (extra ? (layout.extraDash ? '-' : '') + extra : '');
  }
  const digits = layout.unit === 'day' ? 8 : layout.unit === 'minute' ? 12 : 14;
  return s.slice(0, digits) + extra;
}

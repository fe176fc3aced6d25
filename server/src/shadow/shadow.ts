/**
 * The shadow schema of one migration folder: an embedded PostgreSQL holding the baseline and,
 * migration after migration, what the folder's UP parts made of it. Checking migration N runs it
 * against the state just before N: its UP part in a transaction, each statement under a
 * savepoint so that one failure does not hide the next; its DOWN part against what UP left; the
 * round trip (the schema after DOWN against the schema before UP, then UP again). The round trip
 * is undone and UP's result committed: that is the state before N + 1.
 */
import { cpSync, renameSync, rmSync } from 'node:fs';
import { openScratchEmbedded } from '../database/embedded';
import { utf16Offset } from '../database/execute';
import type { Direction } from '../database/plan';
import { diffSnapshots, snapshot } from '../database/schema';
import { DatabaseError, Target, toDatabaseError } from '../database/target';
import type { Migration } from '../migration/migration';
import { lex } from '../sql/lexer';
import { afterDown, roundTripStart, sameAsAfterDown } from './fingerprint';
import { emptyShadowFile, ShadowFile, ShadowMismatch, ShadowResults } from './findings';
import { LockObserver } from './observe';
import { readSchemaFacts } from './schema-facts';
import { madeBy, relationsOf, shadowPart, ShadowStatement } from './statements';

export interface ShadowOptions {
  /** Where the embedded database's template is kept. */
  cacheDir: string;
  /** A baseline is configured: the schema is taken as complete. */
  complete: boolean;
  /** Start from a state `save` kept, instead of an empty database. */
  from?: SavedShadow;
  /** Wraps the database the shadow runs on (the worker's watchdog sees each call). */
  wrap?: (db: Target) => Target;
}

/** A shadow's state kept on disk: its data folder (a copy), and what it knows is missing (plain JSON). */
export interface SavedShadow {
  dataDir: string;
  tainted: [string, { path: string; why: string }][];
}

/** A statement that failed: where and why. */
interface Failure {
  statement: ShadowStatement;
  error: DatabaseError;
}

/** Why a failure is not the migration's fault (the shadow is not a full server), or undefined. */
function environmentError(error: DatabaseError): boolean {
  return (
    /^role ".*" does not exist$/.test(error.message) ||
    /^extension ".*" is not available|could not open extension control file/.test(error.message) ||
    /^language ".*" does not exist$/.test(error.message) ||
    error.code === '42501' // insufficient privilege: the shadow's user is not the runner's
  );
}

const MISSING_RELATION = new Set(['42P01', '3F000']);

export class FolderShadow {
  /** Names (relations, types, columns …) of statements that failed here, with where: the shadow may lack them. */
  private readonly tainted: Map<string, { path: string; why: string }>;

  private constructor(
    private readonly db: Target,
    private readonly dataDir: string,
    private readonly options: ShadowOptions,
  ) {
    this.tainted = new Map(options.from?.tainted ?? []);
  }

  static async open(options: ShadowOptions): Promise<FolderShadow> {
    const { target, dataDir } = await openScratchEmbedded({ cacheDir: options.cacheDir }, options.from?.dataDir);
    const shadow = new FolderShadow(options.wrap ? options.wrap(target) : target, dataDir, options);
    if (options.from) await shadow.db.run('SET check_function_bodies = on'); // as applyBaseline leaves it
    return shadow;
  }

  /** Keeps the committed state in `dataDir` (written beside it, then renamed into place). */
  async save(dataDir: string): Promise<SavedShadow> {
    await this.db.run('CHECKPOINT');
    const building = `${dataDir}.${process.pid}.${Date.now()}`;
    try {
      cpSync(this.dataDir, building, { recursive: true });
      rmSync(dataDir, { recursive: true, force: true });
      renameSync(building, dataDir);
    } finally {
      rmSync(building, { recursive: true, force: true });
    }
    return { dataDir, tainted: [...this.tainted] };
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /** Runs baseline statements, committed; what fails is remembered as missing from the shadow. */
  async applyBaseline(statements: ShadowStatement[]): Promise<void> {
    await this.db.run('BEGIN');
    for (const statement of statements) {
      const error = await this.attempt(statement);
      if (error && !environmentError(error)) this.taint(statement, error);
    }
    await this.commit();
  }

  /** Adds a migration's UP part to the shadow, without checking it (a migration before the checked ones). */
  async replay(migration: Migration): Promise<void> {
    const up = shadowPart(migration, 'up');
    if (!up) return;
    if (up.unparsable) return this.taintAll(migration.path, up.unparsable);
    await this.db.run('BEGIN');
    if (!(await this.runAll(up.statements))) {
      for (const statement of up.statements) {
        const error = await this.attempt(statement);
        if (error && !environmentError(error)) this.taint(statement, error);
      }
    }
    await this.commit();
  }

  /** A migration that could not be run (it ran too long): what its UP part makes is missing from the shadow. */
  forget(migration: Migration, why: string): void {
    const up = shadowPart(migration, 'up');
    if (!up || up.unparsable) return this.taintAll(migration.path, why);
    for (const statement of up.statements) for (const name of madeBy(statement)) if (!this.tainted.has(name)) this.tainted.set(name, { path: statement.path, why });
  }

  /** Checks a migration as `check` does, and leaves the shadow as it was (the editor, checking a file again and again). */
  async probe(migration: Migration, results: ShadowResults): Promise<void> {
    const tainted = [...this.tainted];
    try {
      await this.check(migration, results, false);
    } finally {
      this.tainted.clear();
      for (const [name, why] of tainted) this.tainted.set(name, why);
    }
  }

  /**
   * Checks a migration against the shadow and adds its UP part to it (unless `keep` is false).
   * `results` gets the findings of each file of the migration (the UP file, the DOWN twin).
   */
  async check(migration: Migration, results: ShadowResults, keep = true): Promise<void> {
    const fileOf = (path: string) => {
      let file = results.get(path);
      if (!file) results.set(path, (file = emptyShadowFile()));
      return file;
    };
    const upFile = fileOf(migration.path);
    const up = shadowPart(migration, 'up');
    if (!up) return;
    if (up.unparsable) return this.taintAll(migration.path, up.unparsable);
    const down = shadowPart(migration, 'down');
    const downStatements = down && !down.unparsable && down.statements.length > 0 ? down.statements : undefined;
    upFile.schema = await readSchemaFacts(this.db, up.statements, this.options.complete);

    await this.db.run('BEGIN');
    const start = downStatements ? await roundTripStart(this.db) : undefined;
    await this.db.run('SAVEPOINT shadow_up');
    // Statement by statement, to observe each one's locks and rewrites.
    const observer = await LockObserver.start(this.db);
    const upOk = await this.runChecked(up.statements, 'up', fileOf, async (statement) => {
      const file = fileOf(statement.path);
      (file.observed ??= []).push(await observer.after(statement));
    });
    if (upOk && start && downStatements) {
      await this.db.run('SAVEPOINT shadow_round_trip');
      const downOk = await this.runPart(downStatements, 'down', fileOf);
      if (downOk && !upFile.incomplete) {
        const after = await afterDown(this.db, start);
        const failsAgain = await this.upAgain(up.statements);
        // Back to before UP: compare, then UP once more, for the state the next migration meets.
        await this.db.run('ROLLBACK TO SAVEPOINT shadow_up');
        if (!(await sameAsAfterDown(this.db, start, after))) await this.compareRoundTrip(up.statements, downStatements, upFile);
        if (failsAgain) upFile.mismatches.push(failsAgain);
        if (!(await this.runAll(up.statements))) for (const statement of up.statements) await this.attempt(statement);
      } else {
        await this.db.run('ROLLBACK TO SAVEPOINT shadow_round_trip');
      }
    }
    await this.commit(keep ? 'COMMIT' : 'ROLLBACK');
  }

  /** Runs a part: at once, and when something fails, again statement by statement to report each failure. */
  private async runPart(statements: ShadowStatement[], part: Direction, fileOf: (path: string) => ShadowFile): Promise<boolean> {
    return (await this.runAll(statements)) || this.runChecked(statements, part, fileOf);
  }

  /** Runs statements in one call under a savepoint; false (and undone) when one fails. */
  private async runAll(statements: ShadowStatement[]): Promise<boolean> {
    if (statements.length === 0) return true;
    await this.db.run('SAVEPOINT shadow_part');
    try {
      await this.db.run(statements.map((s) => s.sql).join(';\n'));
    } catch (thrown) {
      if (!toDatabaseError(thrown)) throw thrown;
      await this.db.run('ROLLBACK TO SAVEPOINT shadow_part');
      return false;
    }
    await this.db.run('RELEASE SAVEPOINT shadow_part');
    return true;
  }

  /**
   * Runs a part, statement by statement, recording what PostgreSQL rejects (and telling `ran` of
   * each statement that ran). False when anything failed (the next steps would only repeat it).
   */
  private async runChecked(statements: ShadowStatement[], part: Direction, fileOf: (path: string) => ShadowFile, ran?: (statement: ShadowStatement) => Promise<void>): Promise<boolean> {
    let ok = true;
    for (const statement of statements) {
      const error = await this.attempt(statement);
      if (!error) {
        await ran?.(statement);
        continue;
      }
      const file = fileOf(statement.path);
      if (environmentError(error)) {
        this.taint(statement, error);
        continue;
      }
      ok = false;
      if (!file.incomplete) await this.judge({ statement, error }, part, file);
      this.taint(statement, error);
    }
    return ok;
  }

  /** Turns a failure into a schema-error, or into the file's shadow-incomplete. */
  private async judge({ statement, error }: Failure, part: Direction, file: ShadowFile): Promise<void> {
    const quoted = [...error.message.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    const earlier = quoted.map((name) => this.tainted.get(name)).find((t) => t !== undefined) ?? this.tainted.get('*');
    if (earlier && earlier.path === statement.path) return; // a consequence of an error already reported in this file
    const missing = MISSING_RELATION.has(error.code ?? '') ? quoted[0] : undefined;
    const span = this.spanOf(statement, error, missing ?? quoted[0]);
    if (earlier) {
      file.incomplete = { ...span, name: quoted[0] ?? '', failedEarlier: earlier.why };
      file.errors = [];
      return;
    }
    const suggestion = missing ? await this.nearestTable(missing) : undefined;
    if (missing && !suggestion && !this.options.complete) {
      file.incomplete = { ...span, name: missing };
      file.errors = [];
      return;
    }
    file.errors.push({ ...span, message: error.message, part, ...(error.detail ? { detail: error.detail } : {}), ...(error.hint ? { hint: error.hint } : {}), ...(suggestion ? { suggestion } : {}) });
  }

  /**
   * The precise comparison, when the cheap one saw a difference (from before UP): snapshot, UP,
   * DOWN, snapshot, and each object left behind, missing or changed; then back to before UP.
   */
  private async compareRoundTrip(up: ShadowStatement[], down: ShadowStatement[], file: ShadowFile): Promise<void> {
    const before = await snapshot(this.db);
    for (const statement of up) await this.attempt(statement);
    for (const statement of down) await this.attempt(statement);
    const after = await snapshot(this.db);
    await this.db.run('ROLLBACK TO SAVEPOINT shadow_up');
    const at = { start: up[0]?.start ?? 0, end: up[0]?.end ?? 0 };
    for (const change of diffSnapshots(before, after)) {
      const kind = change.change === 'added' ? 'left' : change.change === 'removed' ? 'missing' : 'changed';
      file.mismatches.push({ ...at, kind, objectKind: change.kind, name: change.name, ...(kind === 'changed' ? { details: change.details.join('; ') } : {}) });
    }
  }

  /** UP once more after DOWN: a DOWN that leaves something behind makes the next deploy fail. */
  private async upAgain(up: ShadowStatement[]): Promise<ShadowMismatch | undefined> {
    if (await this.runAll(up)) return undefined;
    for (const statement of up) {
      const error = await this.attempt(statement);
      if (!error || environmentError(error)) continue;
      const quoted = /"([^"]+)"/.exec(error.message)?.[1];
      return { ...this.spanOf(statement, error, quoted), kind: 'up-fails', name: error.message };
    }
    return undefined;
  }

  /** Runs one statement under a savepoint: its error, the transaction still usable. */
  private async attempt(statement: ShadowStatement): Promise<DatabaseError | undefined> {
    await this.db.run('SAVEPOINT shadow_statement');
    try {
      await this.db.run(statement.sql);
    } catch (thrown) {
      const error = toDatabaseError(thrown);
      if (!error) throw thrown;
      await this.db.run('ROLLBACK TO SAVEPOINT shadow_statement');
      return error;
    }
    await this.db.run('RELEASE SAVEPOINT shadow_statement');
    return undefined;
  }

  /** Commits, and undoes what the migration's SET statements left on the session. */
  private async commit(end: 'COMMIT' | 'ROLLBACK' = 'COMMIT'): Promise<void> {
    await this.db.run(end);
    await this.db.run('RESET ALL');
    await this.db.run('SET check_function_bodies = on');
  }

  /** Where PostgreSQL points: its position, else the name it complains about, else the statement. */
  private spanOf(statement: ShadowStatement, error: DatabaseError, name: string | undefined): { start: number; end: number } {
    if (error.position !== undefined) {
      const offset = utf16Offset(statement.sql, error.position - 1);
      const token = lex(statement.sql).find((t) => t.start <= offset && offset < t.end);
      // Inside a function body (one string token): the word there.
      const end = token && !(token.kind === 'string' && offset > token.start) ? token.end : offset + (/^(?:[\p{L}\p{N}_$]+|[^])/u.exec(statement.sql.slice(offset))?.[0].length ?? 1);
      return { start: statement.start + offset, end: statement.start + end };
    }
    if (name !== undefined) {
      const relation = relationsOf(statement.parsed).find((r) => r.key === name || r.key.endsWith(`.${name}`) || name.endsWith(`.${r.key}`));
      if (relation) return { start: relation.start, end: relation.end };
      const token = statement.parsed.sqlTokens.find((t) => (t.kind === 'quoted-ident' ? t.value.slice(1, -1).replace(/""/g, '"') : t.kind === 'word' ? t.value.toLowerCase() : undefined) === name);
      if (token) return { start: token.start, end: token.end };
    }
    return { start: statement.start, end: statement.end };
  }

  /** The known table nearest to a missing name, when it is a likely typo. */
  private async nearestTable(name: string): Promise<string | undefined> {
    const rows = await this.db.query<{ name: string }>(
      `SELECT CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
       ORDER BY 1`,
    );
    let best: { name: string; distance: number } | undefined;
    for (const row of rows) {
      const distance = editDistance(name, row.name);
      if (!best || distance < best.distance) best = { name: row.name, distance };
    }
    return best && isLikelyTypo(name, best.distance) ? best.name : undefined;
  }

  private taint(statement: ShadowStatement, error: DatabaseError): void {
    const why = `${statement.where}: ${error.message}`;
    for (const name of madeBy(statement)) if (!this.tainted.has(name)) this.tainted.set(name, { path: statement.path, why });
  }

  /** A migration that could not run at all (a syntax error): whatever it makes is missing. */
  private taintAll(path: string, why: string): void {
    this.tainted.set('*', { path, why });
  }
}

/** Within edit distance 2, and short names within 1: `usrs` → `users`, not `ab` → `cd`. */
export function isLikelyTypo(name: string, distance: number): boolean {
  return distance > 0 && distance <= 2 && distance * 3 <= name.length;
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

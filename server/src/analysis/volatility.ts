/**
 * Whether adding a column rewrites the table, decided from what PostgreSQL knows about the
 * default: since PostgreSQL 11 a non-volatile default is stored once in the catalog ("fast
 * default") and existing rows are not touched; a volatile default, a serial or identity column
 * and a stored generated column are computed for every row, which rewrites the table.
 *
 * Volatility comes from the function's declaration, never from its name's look: pg_catalog's
 * volatile functions (below), the volatile functions of the common extensions, and the functions
 * the migration itself or an earlier migration of its folder creates (facts.ts). A function
 * declared elsewhere is not judged.
 */
import type { ColumnDef, CreateFunctionStmt, DefElem, Node } from 'libpg-query';
import { parseSql } from '../sql/parse';
import type { Statement } from '../migration/migration';
import { keyOfNames, names, nodeOf, treeOf, walkTree } from '../sql/ast';

export type Volatility = 'immutable' | 'stable' | 'volatile';

/**
 * pg_catalog functions declared VOLATILE: `SELECT DISTINCT proname FROM pg_proc WHERE
 * provolatile = 'v' AND pronamespace = 'pg_catalog'::regnamespace AND prokind = 'f'` on
 * PostgreSQL 18.6, without trigger / handler / binary-upgrade functions. Every other pg_catalog
 * function (now(), statement_timestamp(), current_setting(), to_char(), …) is stable or immutable.
 */
const CATALOG_VOLATILE = new Set(
  `amvalidate array_sample array_shuffle bernoulli brin_desummarize_range brin_summarize_new_values
  brin_summarize_range clock_timestamp current_query currtid2 currval cursor_to_xml
  cursor_to_xmlschema gen_random_uuid gin_clean_pending_list lastval lo_close lo_creat lo_create
  lo_export lo_from_bytea lo_get lo_import lo_lseek lo_lseek64 lo_open lo_put lo_tell lo_tell64
  lo_truncate lo_truncate64 lo_unlink loread lowrite nextval pg_advisory_lock
  pg_advisory_lock_shared pg_advisory_unlock pg_advisory_unlock_all pg_advisory_unlock_shared
  pg_advisory_xact_lock pg_advisory_xact_lock_shared pg_available_wal_summaries pg_backup_start
  pg_backup_stop pg_blocking_pids pg_cancel_backend pg_clear_attribute_stats pg_clear_relation_stats
  pg_collation_actual_version pg_control_checkpoint pg_control_init pg_control_recovery
  pg_control_system pg_copy_logical_replication_slot pg_copy_physical_replication_slot
  pg_create_logical_replication_slot pg_create_physical_replication_slot pg_create_restore_point
  pg_current_logfile pg_current_wal_flush_lsn pg_current_wal_insert_lsn pg_current_wal_lsn
  pg_database_collation_actual_version pg_database_size pg_drop_replication_slot pg_export_snapshot
  pg_extension_config_dump pg_get_aios pg_get_backend_memory_contexts pg_get_loaded_modules
  pg_get_multixact_members pg_get_sequence_data pg_get_shmem_allocations
  pg_get_shmem_allocations_numa pg_get_wait_events pg_get_wal_replay_pause_state
  pg_get_wal_resource_managers pg_get_wal_summarizer_state pg_hba_file_rules pg_ident_file_mappings
  pg_import_system_collations pg_indexes_size pg_is_in_recovery pg_is_wal_replay_paused
  pg_isolation_test_session_is_blocked pg_jit_available pg_last_committed_xact
  pg_last_wal_receive_lsn pg_last_wal_replay_lsn pg_last_xact_replay_timestamp pg_lock_status
  pg_log_backend_memory_contexts pg_log_standby_snapshot pg_logical_emit_message
  pg_logical_slot_get_binary_changes pg_logical_slot_get_changes pg_logical_slot_peek_binary_changes
  pg_logical_slot_peek_changes pg_ls_archive_statusdir pg_ls_dir pg_ls_logdir pg_ls_logicalmapdir
  pg_ls_logicalsnapdir pg_ls_replslotdir pg_ls_summariesdir pg_ls_tmpdir pg_ls_waldir pg_nextoid
  pg_notification_queue_usage pg_notify pg_partition_ancestors pg_partition_tree pg_prepared_xact
  pg_promote pg_read_binary_file pg_read_file pg_relation_size pg_reload_conf
  pg_replication_origin_advance pg_replication_origin_create pg_replication_origin_drop
  pg_replication_origin_progress pg_replication_origin_session_is_setup
  pg_replication_origin_session_progress pg_replication_origin_session_reset
  pg_replication_origin_session_setup pg_replication_origin_xact_reset
  pg_replication_origin_xact_setup pg_replication_slot_advance pg_restore_attribute_stats
  pg_restore_relation_stats pg_rotate_logfile pg_safe_snapshot_blocking_pids pg_sequence_last_value
  pg_show_all_file_settings pg_show_replication_origin_status pg_sleep pg_sleep_for pg_sleep_until
  pg_stat_clear_snapshot pg_stat_file pg_stat_force_next_flush pg_stat_get_backend_io
  pg_stat_get_backend_wal pg_stat_get_io pg_stat_get_recovery_prefetch
  pg_stat_get_xact_blocks_fetched pg_stat_get_xact_blocks_hit pg_stat_get_xact_function_calls
  pg_stat_get_xact_function_self_time pg_stat_get_xact_function_total_time pg_stat_get_xact_numscans
  pg_stat_get_xact_tuples_deleted pg_stat_get_xact_tuples_fetched
  pg_stat_get_xact_tuples_hot_updated pg_stat_get_xact_tuples_inserted
  pg_stat_get_xact_tuples_newpage_updated pg_stat_get_xact_tuples_returned
  pg_stat_get_xact_tuples_updated pg_stat_have_stats pg_stat_reset pg_stat_reset_backend_stats
  pg_stat_reset_replication_slot pg_stat_reset_shared pg_stat_reset_single_function_counters
  pg_stat_reset_single_table_counters pg_stat_reset_slru pg_stat_reset_subscription_stats
  pg_stop_making_pinned_objects pg_switch_wal pg_sync_replication_slots pg_table_size
  pg_tablespace_size pg_terminate_backend pg_total_relation_size pg_try_advisory_lock
  pg_try_advisory_lock_shared pg_try_advisory_xact_lock pg_try_advisory_xact_lock_shared
  pg_wal_replay_pause pg_wal_replay_resume pg_wal_summary_contents pg_xact_commit_timestamp
  pg_xact_commit_timestamp_origin pg_xact_status plpgsql_inline_handler plpgsql_validator
  query_to_xml query_to_xml_and_xmlschema query_to_xmlschema random random_normal set_config setseed
  setval system timeofday ts_rewrite ts_stat txid_status uuidv4 uuidv7`.split(/\s+/),
);

/**
 * Volatile functions of widely used extensions, as their install scripts declare them:
 * uuid-ossp (uuid_generate_v1 / v1mc / v4), pgcrypto (gen_random_uuid before PostgreSQL 13,
 * gen_random_bytes, gen_salt), pg_uuidv7 (uuid_generate_v7), pgx_ulid (gen_ulid).
 */
const EXTENSION_VOLATILE = new Set(['uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'gen_random_bytes', 'gen_salt', 'uuid_generate_v7', 'gen_ulid']);

const SERIAL_TYPES = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

/**
 * How volatile a function is in a column default: as declared (none is VOLATILE), except a SQL
 * function PostgreSQL inlines (one SELECT of one expression), which is as volatile as that
 * expression: ente's `now_utc_micro_seconds()` wraps now() and rewrote nothing in the shadow.
 */
export function functionVolatility(fn: CreateFunctionStmt): Volatility {
  const options = (fn.options ?? []).map((o) => nodeOf(o, 'DefElem'));
  const value = nodeOf(options.find((o) => o?.defname === 'volatility')?.arg, 'String')?.sval;
  const declared = value === 'immutable' || value === 'stable' ? value : 'volatile';
  const inlined = inlinedExpression(fn, options);
  if (inlined === undefined || declared !== 'volatile') return declared;
  return volatileCall(inlined, new Map()) ? 'volatile' : 'stable';
}

/** The expression a SQL function's body is, when PostgreSQL inlines it (not SECURITY DEFINER, SET, STRICT or SETOF). */
function inlinedExpression(fn: CreateFunctionStmt, options: (DefElem | undefined)[]): Node | undefined {
  const option = (name: string) => options.find((o) => o?.defname === name);
  const language = nodeOf(option('language')?.arg, 'String')?.sval;
  const flag = (name: string) => option(name) !== undefined && nodeOf(option(name)?.arg, 'Boolean')?.boolval !== false;
  if (language?.toLowerCase() !== 'sql' || flag('security') || flag('strict') || option('set') || fn.returnType?.setof) return undefined;
  const body = nodeOf(nodeOf(option('as')?.arg, 'List')?.items?.[0], 'String')?.sval;
  const statements = body === undefined ? [] : parseSql(body).statements;
  const select = statements.length === 1 ? treeOf(statements[0], 'SelectStmt') : undefined;
  if (!select || select.targetList?.length !== 1 || select.fromClause || select.whereClause || select.groupClause || select.havingClause || select.sortClause) return undefined;
  if (select.limitCount || select.distinctClause || select.withClause || select.valuesLists || (select.op && select.op !== 'SETOP_NONE')) return undefined;
  return select.targetList[0];
}

/** Functions created by these statements, by `keyOfNames` of their name, with their declared volatility. */
export function createdFunctionsOf(statements: readonly Statement[]): Map<string, Volatility> {
  const out = new Map<string, Volatility>();
  for (const statement of statements) {
    const fn = treeOf(statement, 'CreateFunctionStmt');
    if (!fn || fn.is_procedure) continue;
    out.set(keyOfNames(names(fn.funcname)), functionVolatility(fn));
  }
  return out;
}

/** The first call to a known volatile function in an expression (`gen_random_uuid()`), if any. */
export function volatileCall(expression: Node | undefined, created: ReadonlyMap<string, Volatility>): string | undefined {
  let found: string | undefined;
  walkTree(expression, (value) => {
    const call = (value as { FuncCall?: { funcname?: Node[] } }).FuncCall;
    if (call && isVolatileFunction(names(call.funcname), created)) found = `${names(call.funcname).join('.')}()`;
    return found !== undefined;
  });
  return found;
}

/**
 * The functions (`keyOfNames` keys) that the ADD COLUMN defaults of `statements` call and whose
 * volatility neither `created`, pg_catalog's list nor the extensions' list tells: for an earlier
 * migration's declaration to tell it.
 */
export function undeclaredDefaultCalls(statements: readonly Statement[], created: ReadonlyMap<string, Volatility>): Set<string> {
  const out = new Set<string>();
  for (const statement of statements) {
    for (const cmd of treeOf(statement, 'AlterTableStmt')?.cmds ?? []) {
      const c = nodeOf(cmd, 'AlterTableCmd');
      if (c?.subtype !== 'AT_AddColumn') continue;
      for (const node of nodeOf(c.def, 'ColumnDef')?.constraints ?? []) {
        const constraint = nodeOf(node, 'Constraint');
        walkTree(constraint?.contype === 'CONSTR_DEFAULT' ? constraint.raw_expr : undefined, (value) => {
          const parts = names((value as { FuncCall?: { funcname?: Node[] } }).FuncCall?.funcname);
          const name = parts[parts.length - 1];
          const known = parts.length === 0 || parts[0] === 'pg_catalog' || CATALOG_VOLATILE.has(name) || EXTENSION_VOLATILE.has(name) || created.has(keyOfNames(parts));
          if (!known) out.add(keyOfNames(parts));
        });
      }
    }
  }
  return out;
}

function isVolatileFunction(parts: string[], created: ReadonlyMap<string, Volatility>): boolean {
  const name = parts[parts.length - 1] ?? '';
  const schema = parts.length > 1 ? parts[0] : undefined;
  if (schema === 'pg_catalog') return CATALOG_VOLATILE.has(name);
  // pg_catalog is searched before the search_path, so an unqualified catalog name is the catalog's function.
  if (!schema && CATALOG_VOLATILE.has(name)) return true;
  const own = created.get(keyOfNames(parts));
  if (own) return own === 'volatile';
  return EXTENSION_VOLATILE.has(name);
}

/**
 * Why adding this column rewrites the table (one sentence), or undefined when it does not:
 * PostgreSQL 11+ stores a non-volatile default in the catalog; before 11 any non-NULL default rewrites.
 */
export function rewritingColumn(def: ColumnDef | undefined, pgVersion: number, created: ReadonlyMap<string, Volatility>): string | undefined {
  if (!def) return undefined;
  const type = names(def.typeName?.names).pop() ?? '';
  if (SERIAL_TYPES.has(type)) return `a ${type} column takes nextval() of its sequence for every existing row`;
  for (const c of def.constraints ?? []) {
    const constraint = nodeOf(c, 'Constraint');
    if (constraint?.contype === 'CONSTR_IDENTITY') return 'an identity column takes the next value of its sequence for every existing row';
    // PostgreSQL 18 also has VIRTUAL generated columns, computed on read: no rewrite.
    if (constraint?.contype === 'CONSTR_GENERATED' && constraint.generated_kind === 's') return 'a stored generated column is computed and written for every existing row';
    if (constraint?.contype !== 'CONSTR_DEFAULT' || isNullConstant(constraint.raw_expr)) continue;
    if (pgVersion < 11) return `before PostgreSQL 11 any default is written into every existing row (pgVersion is ${pgVersion})`;
    const call = volatileCall(constraint.raw_expr, created);
    if (call) return `${call} is volatile, so PostgreSQL must compute it for every existing row`;
  }
  return undefined;
}

function isNullConstant(expression: Node | undefined): boolean {
  const cast = nodeOf(expression, 'TypeCast');
  const value = cast ? cast.arg : expression;
  return nodeOf(value, 'A_Const')?.isnull === true;
}

/** The schema report's diff: folding a table's parts into its line, altered properties, order. No database. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffSnapshots, formatChange, SchemaObject, Snapshot } from '../../server/src/database/schema';
import { differencesAfterDown } from '../../server/src/database/verify';

function snap(...objects: SchemaObject[]): Snapshot {
  return new Map(objects.map((o) => [`${o.kind} ${o.name}`, o]));
}

const users: SchemaObject = { kind: 'table', name: 'users', props: {} };
const id: SchemaObject = { kind: 'column', name: 'users.id', parent: 'table users', props: { type: 'bigint', 'NOT NULL': 'yes' } };
const pkey: SchemaObject = { kind: 'constraint', name: 'users.users_pkey', parent: 'table users', props: { definition: 'PRIMARY KEY (id)' } };
const idx: SchemaObject = { kind: 'index', name: 'idx_users_id', parent: 'table users', props: { definition: 'CREATE INDEX idx_users_id ON public.users USING btree (id)' } };

test('a new table carries its columns, constraints and indexes on one line; a removed one is one line', () => {
  assert.deepEqual(diffSnapshots(snap(), snap(users, id, pkey, idx)).map(formatChange), [
    '+ table users (id bigint NOT NULL, constraint users_pkey PRIMARY KEY (id), index idx_users_id ON public.users USING btree (id))',
  ]);
  assert.deepEqual(diffSnapshots(snap(users, id, pkey, idx), snap()).map(formatChange), ['- table users']);
});

test('altered properties are listed one by one, before → after; added and removed flags say so', () => {
  const before = snap(users, { ...id, props: { type: 'integer' } });
  const after = snap(users, { ...id, props: { type: 'bigint', 'NOT NULL': 'yes', DEFAULT: '0' } });
  assert.deepEqual(diffSnapshots(before, after).map(formatChange), ['~ column users.id: type: integer → bigint; NOT NULL added; DEFAULT 0 added']);
  assert.deepEqual(diffSnapshots(after, before).map(formatChange), ['~ column users.id: type: bigint → integer; NOT NULL removed; DEFAULT 0 removed']);
});

test('changes are ordered by kind then name, and identical snapshots have none', () => {
  const a = snap(users, id);
  assert.deepEqual(diffSnapshots(a, snap(users, id)), []);
  const ext: SchemaObject = { kind: 'extension', name: 'pgcrypto', props: { version: '1.3' } };
  const fn: SchemaObject = { kind: 'function', name: 'f(integer)', props: { kind: 'function', returns: 'integer', body: 'abc' } };
  assert.deepEqual(diffSnapshots(a, snap(users, id, idx, ext, fn)).map(formatChange), [
    '+ extension pgcrypto version: 1.3',
    '+ index idx_users_id ON public.users USING btree (id)',
    '+ function f(integer) kind: function, returns: integer',
  ]);
});

test('verify says what DOWN leaves behind, does not restore, or leaves changed', () => {
  const beforeUp = snap(users, id, { kind: 'column', name: 'users.legacy', parent: 'table users', props: { type: 'text' } });
  const afterDown = snap(users, { ...id, props: { type: 'integer' } }, idx);
  assert.deepEqual(differencesAfterDown(beforeUp, afterDown), [
    'DOWN leaves column users.id changed: type: bigint → integer; NOT NULL removed',
    'DOWN does not restore column users.legacy (it existed before UP)',
    'DOWN leaves index idx_users_id behind',
  ]);
});

/** Supabase CLI: `supabase/migrations/<timestamp>_<name>.sql`, roll-forward, sent as one batch. */
import { splitPath } from '../names';
import type { FileContext } from './file';
import { naming, SECOND } from './naming';
import { single } from './sections';
import type { Convention } from './types';
import { sectionedFile } from './writing';

export const supabase: Convention = {
  name: 'supabase',
  historyTable: 'supabase_migrations.schema_migrations',
  duplicateVersion: 'the Supabase CLI records versions once, so only one of them is ever applied',
  recognises: isSupabase,
  read: (file) => single('supabase', file, { runnerTransaction: true, expectsRollback: false }),
  // The Supabase CLI sends the statements and its history INSERT as one batch.
  runnerWrapping: () => 'batch',
  folder: { ownsFolder: isSupabaseFolder },
  authoring: {
    choices: [{ id: 'supabase', convention: 'supabase', label: 'Supabase CLI (roll-forward)', example: 'YYYYMMDDHHMMSS_description.sql', naming: naming(SECOND), rank: 110 }],
    // Roll-forward: the UP part alone.
    layOut: (input) => sectionedFile(input, 'none'),
    impliedBy: (dir) => {
      const { dir: parent, base } = splitPath(dir);
      return base === 'migrations' && splitPath(parent).base === 'supabase';
    },
  },
};

function isSupabase(file: FileContext): boolean {
  const up = file.ancestors(2);
  return up.length === 2 && up[0].name.toLowerCase() === 'migrations' && up[1].name.toLowerCase() === 'supabase';
}

function isSupabaseFolder(dir: string): boolean {
  const { dir: parent, base } = splitPath(dir);
  return base.toLowerCase() === 'migrations' && splitPath(parent).base.toLowerCase() === 'supabase';
}

/**
 * A SQL file in a migrations folder with no recognisable convention: one whole-file UP part. The
 * fallback when no other convention recognises a file; a new migration beside it uses the
 * template's sections.
 */
import { single } from './sections';
import type { Convention } from './types';
import { sectionedFile } from './writing';

export const plain: Convention = {
  name: 'plain',
  // Adding a rollback turns the file into a template file: UP marker on top, DOWN section below.
  downSection: { family: 'template', commented: true, markUp: true },
  dateVersionsMayRepeat: true,
  recognises: () => false,
  read: (file) => single('plain', file, { runnerTransaction: false, expectsRollback: true }),
  authoring: {
    choices: [],
    layOut: (input) => sectionedFile(input, 'template'),
  },
};

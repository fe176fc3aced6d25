/** The database cases on the embedded database (PGlite): run in every test run. */
import { targetCases } from './cases';
import { embeddedTestTarget } from './helpers';

targetCases('embedded PGlite', embeddedTestTarget);

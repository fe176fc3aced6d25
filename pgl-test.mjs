import { PGlite } from '@electric-sql/pglite';
const t0 = Date.now();
const db = await PGlite.create();
console.log('create', Date.now()-t0);
await db.exec("SET statement_timeout = '1s'");
let t = Date.now();
try { await db.exec("SELECT pg_sleep(3)"); console.log('sleep finished', Date.now()-t); } catch (e) { console.log('sleep err', e.message, Date.now()-t); }
t = Date.now();
try { await db.exec("DO $$ BEGIN FOR i IN 1..30000000 LOOP END LOOP; END $$"); console.log('loop finished', Date.now()-t); } catch (e) { console.log('loop err', e.message, Date.now()-t); }
for (let i=0;i<100;i++) await db.exec(`CREATE TABLE t${i} (id bigint primary key, name text not null, note text); CREATE INDEX ON t${i}(name)`);
t = Date.now();
const dump = await db.dumpDataDir('gzip');
console.log('dump', Date.now()-t, dump.size);
t = Date.now();
const dump2 = await db.dumpDataDir('none');
console.log('dump none', Date.now()-t, dump2.size);
t = Date.now();
const db2 = await PGlite.create({ loadDataDir: dump });
console.log('load', Date.now()-t, (await db2.query('select count(*) from pg_class')).rows);
t = Date.now();
const db3 = await PGlite.create({ loadDataDir: dump2 });
console.log('load none', Date.now()-t);

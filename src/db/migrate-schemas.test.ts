import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import pg from 'pg';
import { migrateToLatest, openDatabase } from './index.ts';
import { postgresReachable, TEST_DATABASE_URL } from '../../test/support/databases.ts';

/**
 * Migrating one schema while other schemas come and go on the same server (other test runs, other
 * applications): the migrator looks only at its own schema, so another's DROP cannot fail it.
 */
describe('migrations beside schemas being dropped', { skip: !(await postgresReachable()) && 'no PostgreSQL' }, () => {
  it('migrates fresh schemas while another connection creates and drops schemas with tables', async () => {
    const churn = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await churn.connect();
    let stop = false;
    const churning = (async () => {
      while (!stop) {
        const name = `revista_churn_${randomBytes(5).toString('hex')}`;
        await churn.query(`CREATE SCHEMA ${name}; CREATE TABLE ${name}.t (id serial PRIMARY KEY, a text); CREATE TABLE ${name}.u (id serial PRIMARY KEY)`);
        await churn.query(`DROP SCHEMA ${name} CASCADE`);
      }
    })();
    try {
      for (let i = 0; i < 4; i++) {
        const schema = `revista_test_${randomBytes(6).toString('hex')}`;
        const handle = await openDatabase({ kind: 'postgres', url: TEST_DATABASE_URL, schema });
        try {
          const applied = await migrateToLatest(handle.db);
          assert.ok(applied.length > 10, 'every migration ran');
          assert.deepEqual(await migrateToLatest(handle.db), [], 'and none twice');
        } finally {
          await handle.close();
          await churn.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
        }
      }
    } finally {
      stop = true;
      await churning;
      await churn.end();
    }
  });
});

import { Client } from 'pg';
import { buildReadAst, compileRead, sanitizeQuery, type ReadOptions } from '@lib/query';
import { context, DDL, limits, schema, SEED } from './fixture';

const queries: [string, unknown, Partial<ReadOptions>?][] = JSON.parse(process.env.SCRATCH ?? '[]');

test('scratch', async () => {
  const client = new Client({ connectionString: 'postgres://postgres:postgres@localhost:54329/postgres' });
  await client.connect();
  await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  await client.query(DDL + SEED);
  for (const [collection, raw, opts] of queries) {
    const q = sanitizeQuery(raw, context, limits);
    const ast = buildReadAst(schema, collection, q, { mode: 'list', limits, ...opts });
    const { sql, params } = compileRead(ast, schema);
    console.log(sql, JSON.stringify(params));
    try {
      const res = await client.query(sql, params);
      console.log(JSON.stringify(res.rows[0]));
    } catch (e) {
      console.log('ERROR', (e as Error).message);
    }
  }
  await client.end();
});

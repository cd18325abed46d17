import { buildSnapshot, makeField, type FieldSnapshot, type RelationSnapshot } from '@lib/schema';
import {
  compileDelete,
  compileDeselectCandidates,
  compileInsert,
  compileLinkCandidates,
  compileResetSequence,
  compileSelectKeys,
  compileSelectRows,
  compileSingletonRow,
  compileSortMax,
  compileUpdate,
  keysParam,
  MAX_PARAMS,
  type O2mRelation,
  type WriteStatement,
} from '@lib/query';
import { schema } from './fixture';

const { articles, comments, settings } = schema.collections;
const blocks = articles.relations.blocks as O2mRelation;

/** A collection, its key, a column and an O2M whose names all hold a double quote. */
const quoted = (() => {
  const field = (collection: string, name: string, extra: Partial<FieldSnapshot> = {}) =>
    makeField({ collection, field: name, type: 'integer', ...extra });
  const relation: RelationSnapshot = {
    collection: 'ch"ild',
    field: 'pa"rent',
    related_collection: 'we"ird',
    meta: {
      id: null,
      many_collection: 'ch"ild',
      many_field: 'pa"rent',
      one_collection: 'we"ird',
      one_field: 'kids',
      one_collection_field: null,
      one_allowed_collections: null,
      junction_field: null,
      sort_field: 'so"rt',
      one_deselect_action: 'nullify',
    },
    schema: null,
  };
  return buildSnapshot(
    1,
    [
      {
        collection: 'we"ird',
        fields: [
          field('we"ird', 'i"d', { primaryKey: true, autoIncrement: true }),
          field('we"ird', 'ti"tle', { type: 'string' }),
          field('we"ird', 'kids', { type: 'alias', special: ['o2m'] }),
        ],
      },
      {
        collection: 'ch"ild',
        fields: [field('ch"ild', 'k"ey', { primaryKey: true }), field('ch"ild', 'pa"rent'), field('ch"ild', 'so"rt')],
      },
    ],
    [relation],
  );
})();
const weird = quoted.collections['we"ird'];
const kids = weird.relations.kids as O2mRelation;

/** The highest `$n` in a statement. */
function maxPlaceholder(sql: string): number {
  return Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
}

describe('compileInsert', () => {
  it('inserts all rows in one statement, over the union of their columns, DEFAULT where a row lacks one', () => {
    const rows = [{ title: 'A', status: 'published' }, { title: 'B' }, { views: 3, status: null }];
    expect(compileInsert(articles, rows)).toEqual([
      {
        sql:
          'INSERT INTO "articles" ("title", "status", "views") VALUES ' +
          '($1, $2, DEFAULT), ($3, DEFAULT, DEFAULT), (DEFAULT, $4, $5) RETURNING *',
        params: ['A', 'published', 'B', null, 3],
        rows,
      },
    ]);
  });

  it('binds a column a row holds even when its value is null or undefined (only a missing key is DEFAULT)', () => {
    const [st] = compileInsert(articles, [{ title: undefined, status: null }, {}]);
    expect(st!.sql).toBe('INSERT INTO "articles" ("title", "status") VALUES ($1, $2), (DEFAULT, DEFAULT) RETURNING *');
    expect(st!.params).toEqual([undefined, null]);
  });

  it('rows with no columns at all insert the primary key as DEFAULT, still one statement', () => {
    expect(compileInsert(settings, [{}, {}, {}])).toEqual([
      {
        sql: 'INSERT INTO "settings" ("id") VALUES (DEFAULT), (DEFAULT), (DEFAULT) RETURNING *',
        params: [],
        rows: [{}, {}, {}],
      },
    ]);
  });

  it('no rows, no statement', () => {
    expect(compileInsert(articles, [])).toEqual([]);
  });

  it('chunks at the parameter limit: as many whole rows per statement as fit, each numbered from $1', () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({ article: i, body: `c${i}` }));
    const statements = compileInsert(comments, rows, 4);
    expect(statements.map((s) => s.sql)).toEqual([
      'INSERT INTO "comments" ("article", "body") VALUES ($1, $2), ($3, $4) RETURNING *',
      'INSERT INTO "comments" ("article", "body") VALUES ($1, $2), ($3, $4) RETURNING *',
      'INSERT INTO "comments" ("article", "body") VALUES ($1, $2) RETURNING *',
    ]);
    expect(statements.map((s) => s.params)).toEqual([
      [0, 'c0', 1, 'c1'],
      [2, 'c2', 3, 'c3'],
      [4, 'c4'],
    ]);
    expect(statements.map((s) => s.rows)).toEqual([rows.slice(0, 2), rows.slice(2, 4), rows.slice(4)]);
  });

  it('a limit that is not a multiple of the column count rounds the rows per statement down', () => {
    const rows = Array.from({ length: 4 }, (_, i) => ({ article: i, body: `c${i}` }));
    expect(compileInsert(comments, rows, 5).map((s) => s.params.length)).toEqual([4, 4]);
    expect(compileInsert(comments, rows, 3).map((s) => s.params.length)).toEqual([2, 2, 2, 2]);
  });

  it('chunks by columns, not by values bound: DEFAULTs still count against the limit', () => {
    const rows = [{ article: 1 }, { body: 'x' }, { article: 2 }];
    expect(compileInsert(comments, rows, 4).map((s) => s.rows.length)).toEqual([2, 1]);
  });

  it('a row wider than the limit is still inserted, one per statement', () => {
    const statements = compileInsert(
      comments,
      [
        { article: 1, body: 'a' },
        { article: 2, body: 'b' },
      ],
      1,
    );
    expect(statements.map((s) => s.params)).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
  });

  it(`never binds more than the default limit (${MAX_PARAMS}) in one statement`, () => {
    const rows = Array.from({ length: 10_001 }, (_, i) => ({ title: `t${i}`, status: 's', views: i, big: i }));
    const statements = compileInsert(articles, rows);
    expect(statements.map((s) => s.rows.length)).toEqual([7500, 2501]);
    for (const s of statements) {
      expect(s.params.length).toBeLessThanOrEqual(MAX_PARAMS);
      expect(maxPlaceholder(s.sql)).toBe(s.params.length);
    }
    expect(statements.flatMap((s) => s.params)).toEqual(rows.flatMap((r) => [r.title, r.status, r.views, r.big]));
  });

  it('the text depends on the columns and row count only, never on values (a cache key)', () => {
    const a = compileInsert(articles, [{ title: "x'); DROP TABLE articles; --" }]);
    const b = compileInsert(articles, [{ title: 'y' }]);
    expect(a[0]!.sql).toBe(b[0]!.sql);
    expect(a[0]!.sql).not.toContain('DROP');
  });
});

describe('compileUpdate', () => {
  it('one key compares with = $1 and binds the key itself', () => {
    expect(compileUpdate(articles, [7], { title: 'x', views: 1 })).toEqual({
      sql: 'UPDATE "articles" SET "title" = $2, "views" = $3 WHERE "id" = $1 RETURNING *',
      params: [7, 'x', 1],
    });
  });

  it('several keys compare with = ANY($1) and bind the array', () => {
    expect(compileUpdate(articles, [7, 8], { status: 'archived' })).toEqual({
      sql: 'UPDATE "articles" SET "status" = $2 WHERE "id" = ANY($1) RETURNING *',
      params: [[7, 8], 'archived'],
    });
  });

  it('no key matches nothing: = ANY of an empty array', () => {
    expect(compileUpdate(articles, [], { status: 'a' })).toEqual({
      sql: 'UPDATE "articles" SET "status" = $2 WHERE "id" = ANY($1) RETURNING *',
      params: [[], 'a'],
    });
  });

  it('a row that sets nothing is no statement', () => {
    expect(compileUpdate(articles, [7], {})).toBeNull();
  });

  it('the same columns and key count give the same text whatever the values', () => {
    expect(compileUpdate(articles, [1], { title: 'a' })!.sql).toBe(compileUpdate(articles, [2], { title: 'b' })!.sql);
  });
});

describe('statements by keys', () => {
  it.each<[string, (keys: number[]) => WriteStatement, string]>([
    ['compileDelete', (keys) => compileDelete(articles, keys), 'DELETE FROM "articles" WHERE "id" = '],
    [
      'compileSelectKeys',
      (keys) => compileSelectKeys(articles, keys),
      'SELECT "id" AS pk FROM "articles" WHERE "id" = ',
    ],
    ['compileSelectRows', (keys) => compileSelectRows(articles, keys), 'SELECT * FROM "articles" WHERE "id" = '],
  ])('%s: = $1 for one key, = ANY($1) for several', (_name, compile, prefix) => {
    expect(compile([3])).toEqual({ sql: `${prefix}$1`, params: [3] });
    expect(compile([3, 4])).toEqual({ sql: `${prefix}ANY($1)`, params: [[3, 4]] });
  });

  it('keysParam binds one key as itself, several (or none) as an array', () => {
    expect(keysParam(['a'])).toBe('a');
    expect(keysParam(['a', 'b'])).toEqual(['a', 'b']);
    expect(keysParam([])).toEqual([]);
  });
});

describe('singleton and sequence', () => {
  it('compileSingletonRow locks the first row', () => {
    expect(compileSingletonRow(settings)).toEqual({
      sql: 'SELECT "id" AS pk FROM "settings" ORDER BY 1 LIMIT 1 FOR UPDATE',
      params: [],
    });
  });

  it('compileResetSequence binds the quoted table name and the key column for pg_get_serial_sequence', () => {
    expect(compileResetSequence(articles)).toEqual({
      sql:
        'SELECT setval(q.s, GREATEST((SELECT max("id") FROM "articles"), ' +
        'coalesce(pg_sequence_last_value(q.s::regclass), 0), 1)) ' +
        'FROM (SELECT pg_get_serial_sequence($1, $2) AS s) q WHERE q.s IS NOT NULL',
      params: ['"articles"', 'id'],
    });
  });
});

describe('O2M statements', () => {
  it('compileLinkCandidates: the listed children not pointing at the parent yet, = ANY($1) even for one key', () => {
    expect(compileLinkCandidates(blocks, [4], 1)).toEqual({
      sql: 'SELECT "id" AS pk FROM "articles_blocks" WHERE "id" = ANY($1) AND "articles_id" IS DISTINCT FROM $2',
      params: [[4], 1],
    });
  });

  it("compileDeselectCandidates: exactly the keys ('only') or all but them ('except')", () => {
    expect(compileDeselectCandidates(blocks, 1, [4, 5], 'only')).toEqual({
      sql: 'SELECT "id" AS pk FROM "articles_blocks" WHERE "articles_id" = $1 AND "id" = ANY($2)',
      params: [1, [4, 5]],
    });
    expect(compileDeselectCandidates(blocks, 1, [], 'except')).toEqual({
      sql: 'SELECT "id" AS pk FROM "articles_blocks" WHERE "articles_id" = $1 AND NOT ("id" = ANY($2))',
      params: [1, []],
    });
  });

  it('compileSortMax: max(sort) per parent', () => {
    expect(compileSortMax(blocks, 'sort', [1, 2])).toEqual({
      sql: 'SELECT "articles_id" AS parent, max("sort") AS max FROM "articles_blocks" WHERE "articles_id" = ANY($1) GROUP BY 1',
      params: [[1, 2]],
    });
  });
});

describe('names holding a double quote', () => {
  it('are quoted with the quote doubled, in every statement', () => {
    const child = quoted.collections['ch"ild'];
    expect(compileInsert(weird, [{ 'ti"tle': 'a' }, {}])[0]!.sql).toBe(
      'INSERT INTO "we""ird" ("ti""tle") VALUES ($1), (DEFAULT) RETURNING *',
    );
    expect(compileInsert(weird, [{}])[0]!.sql).toBe('INSERT INTO "we""ird" ("i""d") VALUES (DEFAULT) RETURNING *');
    expect(compileUpdate(weird, [1], { 'ti"tle': 'a' })!.sql).toBe(
      'UPDATE "we""ird" SET "ti""tle" = $2 WHERE "i""d" = $1 RETURNING *',
    );
    expect(compileDelete(weird, [1, 2]).sql).toBe('DELETE FROM "we""ird" WHERE "i""d" = ANY($1)');
    expect(compileSelectKeys(child, [1]).sql).toBe('SELECT "k""ey" AS pk FROM "ch""ild" WHERE "k""ey" = $1');
    expect(compileSelectRows(weird, [1]).sql).toBe('SELECT * FROM "we""ird" WHERE "i""d" = $1');
    expect(compileSingletonRow(weird).sql).toBe('SELECT "i""d" AS pk FROM "we""ird" ORDER BY 1 LIMIT 1 FOR UPDATE');
    expect(compileLinkCandidates(kids, [1], 2).sql).toBe(
      'SELECT "k""ey" AS pk FROM "ch""ild" WHERE "k""ey" = ANY($1) AND "pa""rent" IS DISTINCT FROM $2',
    );
    expect(compileDeselectCandidates(kids, 2, [1], 'except').sql).toBe(
      'SELECT "k""ey" AS pk FROM "ch""ild" WHERE "pa""rent" = $1 AND NOT ("k""ey" = ANY($2))',
    );
    expect(compileSortMax(kids, kids.sortField!, [2]).sql).toBe(
      'SELECT "pa""rent" AS parent, max("so""rt") AS max FROM "ch""ild" WHERE "pa""rent" = ANY($1) GROUP BY 1',
    );
  });

  it('compileResetSequence binds the table as PostgreSQL reads a quoted name', () => {
    const st = compileResetSequence(weird);
    expect(st.sql).toContain('(SELECT max("i""d") FROM "we""ird")');
    expect(st.params).toEqual(['"we""ird"', 'i"d']);
  });
});

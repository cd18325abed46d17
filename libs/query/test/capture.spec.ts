// eslint-disable-next-line no-restricted-imports -- this test keeps its expected SQL in files (I/O in tests only)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  captureCtes,
  compileCapture,
  compilePrune,
  compileWrittenRows,
  foldableShape,
  foldCtes,
  Params,
  revisionFields,
  withParts,
  type CaptureSpec,
} from '@lib/query';
import { schema } from './fixture';

/** The change capture's statements (revisions issue), kept under __sql__ like every generated statement. */
const DIR = join(__dirname, '__sql__');
const UPDATE = process.env.UPDATE_SQL_SNAPSHOTS === '1';

function expectSnapshot(name: string, statement: { sql: string; params: readonly unknown[] } | null): void {
  const actual = `${statement!.sql}\n-- params: ${JSON.stringify(statement!.params)}\n`;
  const file = join(DIR, `${name}.sql`);
  if (UPDATE) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const articles = schema.collections.articles!;
const actor = { user: '6fec441f-0071-4176-918a-c495533dde24', ip: '127.0.0.1', userAgent: 'node', origin: null };
const spec = (over: Partial<CaptureSpec>): CaptureSpec => ({
  collection: articles,
  action: 'create',
  activity: true,
  revisions: true,
  actor,
  payloadFields: [['title', 'author']],
  changeLog: null,
  ...over,
});

describe('change capture SQL', () => {
  it('a create of several rows: activity + revisions (one per row shape) in ONE statement', () => {
    expectSnapshot(
      'capture-create',
      compileCapture({
        ...spec({ payloadFields: [['title', 'author'], ['title', 'author'], ['title']] }),
        keys: [1, 2, 3],
      }),
    );
  });

  it('a nested update: parents given per item, earlier revisions adopted, the change log with before images', () => {
    expectSnapshot(
      'capture-update-nested',
      compileCapture({
        ...spec({ action: 'update', payloadFields: [['title', 'status']], changeLog: { requestId: 'r-1' } }),
        keys: [7],
        parents: new Map([['7', 40]]),
        adopt: [{ id: 41, item: '7' }],
        before: [{ id: 7, title: 'old' }],
      }),
    );
  });

  it('a delete: activity only, and the change log', () => {
    expectSnapshot(
      'capture-delete',
      compileCapture({
        ...spec({ action: 'delete', revisions: false, changeLog: { requestId: 'r-2' } }),
        keys: [1, 2],
      }),
    );
  });

  it('nothing to record: null', () => {
    expect(compileCapture({ ...spec({ activity: false }), keys: [1] })).toBeNull();
    expect(compileCapture({ ...spec({}), keys: [] })).toBeNull();
  });

  it('folded into a one-row write: CTEs after the write, over the rows it returns', () => {
    const write = { sql: 'INSERT INTO "articles" ("title") VALUES ($1) RETURNING *', params: ['x'] };
    expectSnapshot(
      'capture-fold-create',
      foldCtes(compileWrittenRows(write), (params, written) =>
        captureCtes(spec({ payloadFields: [['title']] }), params, written),
      ),
    );
    const update = { sql: 'UPDATE "articles" SET "title" = $2 WHERE "id" = ANY($1) RETURNING *', params: [[7], 'y'] };
    expectSnapshot(
      'capture-fold-update',
      foldCtes(compileWrittenRows(update), (params, written) =>
        captureCtes(
          spec({ action: 'update', payloadFields: [['title']], changeLog: { requestId: 'r-3' } }),
          params,
          written,
        ),
      ),
    );
  });

  it('folded into a multi-row create: one set of CTEs over the INSERT’s rows, nothing bound per row', () => {
    const insert = {
      sql: 'INSERT INTO "articles" ("title", "author") VALUES ($1, $2), ($3, $4), ($5, $6) RETURNING *',
      params: ['a', 1, 'b', 2, 'c', null],
    };
    const fields = [
      ['title', 'author'],
      ['title', 'author'],
      ['title', 'author'],
    ];
    const folded = foldCtes(compileWrittenRows(insert), (params, written) =>
      captureCtes(spec({ payloadFields: fields, changeLog: { requestId: 'r-4' } }), params, written),
    );
    expectSnapshot('capture-fold-batch', folded);
    // Who wrote and what, each bound once: action, user, ip, user agent, origin, collection, request id.
    expect(folded!.params).toHaveLength(insert.params.length + 7);
    // Rows setting different fields can't share one revision SELECT: the caller records them on their own.
    expect(foldableShape(fields)).toBe(true);
    expect(foldableShape([['title'], ['title', 'author']])).toBe(false);
    expect(() => captureCtes(spec({ payloadFields: [['title'], ['author']] }), new Params(), 'w')).toThrow();
    expect(
      captureCtes(spec({ payloadFields: [['title'], ['author']], revisions: false }), new Params(), 'w'),
    ).toHaveLength(1);
  });

  it('folded CTEs built once per shape: a repeat binds the new values in the same places', () => {
    const other = { user: null, ip: '10.0.0.9', userAgent: 'curl', origin: 'https://x.example' };
    const cases: Partial<CaptureSpec>[] = [
      { payloadFields: [['title', 'author']] },
      { payloadFields: [[]] },
      { payloadFields: [] },
      { action: 'update', payloadFields: [['title']], changeLog: { requestId: 'r-5' } },
      { action: 'update', payloadFields: [['author']], revisions: false },
      { activity: false, changeLog: { requestId: 'r-6' } },
      { payloadFields: [['title'], ['title']], changeLog: { requestId: 'r-7' } },
    ];
    for (const over of cases) {
      const base = { sql: 'WITH "w1" AS (INSERT INTO "articles" DEFAULT VALUES RETURNING *) SELECT 1', params: [1, 2] };
      const fold = (s: CaptureSpec) => foldCtes(base, (params, written) => captureCtes(s, params, written));
      const first = fold(spec(over));
      const again = fold(spec({ ...over, actor: other }));
      // What a statement built afresh for the second caller would be: the same SQL, its values in the same places.
      const fresh = first!.params.map((v) =>
        v === actor.user ? other.user : v === actor.ip ? other.ip : v === actor.userAgent ? other.userAgent : v,
      );
      const origin = first!.params.findIndex(
        (v, i) => v === null && i >= 2 && first!.params[i - 1] === actor.userAgent,
      );
      if (origin >= 0) fresh[origin] = other.origin;
      expect({ over, sql: again!.sql, params: again!.params }).toEqual({ over, sql: first!.sql, params: fresh });
    }
  });

  it('revision fields: create = given non-relational columns; update = whole row (data), fields set (delta)', () => {
    expect(revisionFields(articles, 'create', ['title', 'author', 'comments', 'nope'])).toEqual({
      data: ['title'],
      delta: ['title'],
    });
    const update = revisionFields(articles, 'update', ['id', 'title', 'author']);
    expect(update.delta).toEqual(['title', 'author']);
    expect(update.data[0]).toBe('id');
    expect(update.data).not.toContain('author');
  });

  it('retention: one bounded statement per batch and table', () => {
    const cutoff = new Date('2026-01-01T00:00:00Z');
    expectSnapshot('prune-activity', compilePrune('activity', cutoff, 1000));
    expectSnapshot('prune-revisions', compilePrune('revisions', cutoff, 1000));
    expectSnapshot('prune-changes', compilePrune('changes', cutoff, 1000));
  });
});

describe('withParts / foldCtes', () => {
  it('finds the main SELECT at depth 0, past quoted text and parentheses', () => {
    const sql = `WITH "w0" AS (INSERT INTO "a" ("b") VALUES (E'x SELECT \\' )') RETURNING *), "q"")" AS (SELECT 1) SELECT "w0".* FROM "w0"`;
    const parts = withParts(sql)!;
    expect(parts.first).toBe('w0');
    expect(sql.slice(parts.end)).toBe(' SELECT "w0".* FROM "w0"');
    expect(withParts('SELECT 1')).toBeNull();
  });

  it('numbers the added CTEs parameters after the statement’s, and leaves a statement alone when none are added', () => {
    const base = { sql: 'WITH "w0" AS (UPDATE "t" SET "a" = $1 RETURNING *) SELECT * FROM "w0"', params: [1] };
    const folded = foldCtes(base, (params: Params, written) => [`"x" AS (SELECT ${params.add(2)} FROM "${written}")`]);
    expect(folded).toEqual({
      sql: 'WITH "w0" AS (UPDATE "t" SET "a" = $1 RETURNING *), "x" AS (SELECT $2 FROM "w0") SELECT * FROM "w0"',
      params: [1, 2],
    });
    expect(foldCtes(base, () => [])).toBe(base);
    expect(foldCtes({ sql: 'UPDATE "t" SET "a" = 1', params: [] }, () => ['"x" AS (SELECT 1)'])).toBeNull();
  });
});

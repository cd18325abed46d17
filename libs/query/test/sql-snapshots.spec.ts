// eslint-disable-next-line no-restricted-imports -- this test keeps its expected SQL in files (I/O in tests only)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  type O2mRelation,
  type ReadOptions,
  type WriteStatement,
} from '@lib/query';
import { schema } from './fixture';
import { compile } from './helpers';

/**
 * Representative compiled statements, kept under __sql__ so that every change to generated SQL shows in review.
 * Regenerate with UPDATE_SQL_SNAPSHOTS=1.
 */
const CASES: [name: string, collection: string, query: Record<string, unknown>, options?: Partial<ReadOptions>][] = [
  ['flat-list', 'tags', {}],
  [
    'filter-sort-meta',
    'articles',
    {
      fields: 'id,title',
      filter: { status: { _in: 'published,draft' }, views: { _gte: 10 } },
      sort: '-published_at,title',
      limit: 10,
      page: 2,
      meta: '*',
    },
  ],
  [
    'm2o',
    'articles',
    { fields: 'id,author.name,author.email', filter: { author: { name: { _starts_with: 'A' } } }, sort: 'author.name' },
  ],
  ['m2o-null-row', 'articles', { fields: 'id', filter: { author: { email: { _null: true } } } }],
  ['o2m-sort', 'articles', { fields: 'id', sort: '-comments.body,comments.article.title' }],
  ['m2a-sort', 'articles', { fields: 'id', sort: 'blocks.item:headings.title' }],
  [
    'o2m',
    'articles',
    { fields: 'id,comments.body,comments.created', filter: { comments: { body: { _icontains: 'nice' } } } },
  ],
  [
    'o2m-some-none-count',
    'articles',
    {
      fields: 'id,count(comments)',
      filter: { comments: { _none: { body: { _eq: 'x' } } }, 'count(comments)': { _gt: 1 } },
    },
  ],
  ['m2m', 'articles', { fields: 'id,tags.tags_id.name', filter: { tags: { tags_id: { name: { _eq: 'tech' } } } } }],
  [
    'm2a',
    'articles',
    {
      fields: 'id,blocks.collection,blocks.item:headings.title,blocks.item:paragraphs.*',
      filter: { blocks: { 'item:headings': { title: { _eq: 'Intro' } } } },
    },
  ],
  [
    'deep',
    'articles',
    {
      fields: 'id,comments.body,comments.article.title',
      deep: {
        comments: {
          _filter: { body: { _nnull: true } },
          _sort: '-created',
          _limit: 2,
          _offset: 1,
          article: { _filter: { status: 'published' } },
        },
      },
    },
  ],
  [
    'alias',
    'articles',
    { fields: 'id,featured.tags_id.name,tags', alias: { featured: 'tags' }, deep: { featured: { _limit: 1 } } },
  ],
  [
    'aggregate-group',
    'articles',
    {
      aggregate: { count: '*', sum: 'views', avg: 'views', max: 'published_at' },
      groupBy: 'status,year(published_at)',
      sort: '-count',
      filter: { status: { _neq: 'archived' } },
    },
  ],
  [
    'aggregate-flat',
    'articles',
    { aggregate: { countAll: '', countDistinct: 'author', min: 'rating' }, meta: 'filter_count' },
  ],
  ['search', 'articles', { fields: 'id', search: '100' }],
  [
    'functions-formats',
    'articles',
    {
      fields:
        'id,published_at,rating,big,labels,secret,data,year(published_at),weekday(published_at),second(published_at),count(data)',
      filter: { 'month(published_at)': { _eq: 3 } },
    },
  ],
  [
    'dynamic-variables',
    'articles',
    { fields: 'id', filter: { _or: [{ published_at: { _lt: '$NOW(-1 year)' } }, { uid: { _in: '$CURRENT_ROLES' } }] } },
  ],
  ['single', 'articles', { fields: 'id,title,author.*' }, { mode: 'single', id: 3 }],
  ['singleton', 'settings', {}, { mode: 'singleton' }],
  ['keys', 'articles', { fields: 'id', meta: 'filter_count' }, { keys: [3, 1] }],
];

const DIR = join(__dirname, '__sql__');
const UPDATE = process.env.UPDATE_SQL_SNAPSHOTS === '1';

/** One clause per line, for review; the statement itself is one line. */
function render(sql: string, params: readonly unknown[]): string {
  const pretty = sql
    .replace(/ AS \(/g, ' AS (\n  ')
    .replace(/\), ("l\d+" AS)/g, '),\n$1')
    .replace(/ (FROM|WHERE|ORDER BY|LEFT JOIN|GROUP BY|LIMIT) /g, '\n  $1 ');
  return `${pretty}\n-- params: ${JSON.stringify(params)}\n`;
}

/** Compares `actual` with `__sql__/<name>.sql` (a missing file fails), or writes it there with UPDATE_SQL_SNAPSHOTS=1. */
function expectSnapshot(name: string, actual: string): void {
  const file = join(DIR, `${name}.sql`);
  if (UPDATE) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('compiled SQL snapshots', () => {
  if (UPDATE && !existsSync(DIR)) mkdirSync(DIR);
  // Objects, not arrays: jest would take a 4th parameter missing from a row for a `done` callback.
  it.each(CASES.map(([name, collection, query, options]) => ({ name, collection, query, options })))(
    '$name',
    ({ name, collection, query, options }) => {
      const { sql, params } = compile(collection, query, options);
      expectSnapshot(name, render(sql, params));
    },
  );
});

const { articles, authors, comments, settings } = schema.collections;
const o2m = (collection: string, field: string) => schema.collections[collection]!.relations[field] as O2mRelation;

/**
 * Every statement of the write path (libs/query compile-write, run by ItemsWriteService), under __sql__/write-*.sql.
 * A case may compile several statements (a chunked insert, the one- and several-key forms): one after the other.
 */
const WRITE_CASES: [name: string, compile: () => WriteStatement | readonly WriteStatement[]][] = [
  [
    'insert',
    () => compileInsert(articles, [{ title: 'A', status: 'published' }, { title: 'B' }, { views: 3, status: null }]),
  ],
  ['insert-defaults', () => compileInsert(settings, [{}, {}])],
  [
    'insert-chunked',
    () =>
      compileInsert(
        comments,
        Array.from({ length: 5 }, (_, i) => ({ article: i + 1, body: `c${i}` })),
        4,
      ),
  ],
  ['update-one', () => compileUpdate(articles, [7], { title: 'x', views: 1 })!],
  ['update-many', () => compileUpdate(articles, [7, 8], { status: 'archived' })!],
  ['delete', () => [compileDelete(articles, [7]), compileDelete(articles, [7, 8])]],
  ['select-keys', () => [compileSelectKeys(authors, [1]), compileSelectKeys(authors, [1, 2])]],
  ['select-rows', () => [compileSelectRows(articles, [7]), compileSelectRows(articles, [7, 8])]],
  ['singleton-row', () => compileSingletonRow(settings)],
  ['reset-sequence', () => compileResetSequence(articles)],
  ['link-candidates', () => compileLinkCandidates(o2m('authors', 'articles'), [4, 5], 1)],
  [
    'deselect-candidates',
    () => [
      compileDeselectCandidates(o2m('articles', 'comments'), 1, [2], 'only'),
      compileDeselectCandidates(o2m('articles', 'comments'), 1, [1, 3], 'except'),
    ],
  ],
  ['sort-max', () => compileSortMax(o2m('articles', 'blocks'), 'sort', [1, 2])],
];

describe('compiled write SQL snapshots', () => {
  it.each(WRITE_CASES.map(([name, compile]) => ({ name, compile })))('write-$name', ({ name, compile }) => {
    const compiled = compile();
    const statements = Array.isArray(compiled) ? compiled : [compiled as WriteStatement];
    expectSnapshot(`write-${name}`, statements.map(({ sql, params }) => render(sql, params)).join('\n'));
  });
});

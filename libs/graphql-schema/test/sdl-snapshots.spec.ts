// eslint-disable-next-line no-restricted-imports -- this test keeps the expected SDL in files (I/O in tests only)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchema, validateSchema } from 'graphql';
import { buildGraphqlSchema, type GraphqlSchemaOptions } from '@lib/graphql-schema';
import type { SchemaSnapshot } from '@lib/schema';
import { items, role, rules, system, views } from './fixtures';

/**
 * The printed schemas, kept under __schema__ so that every change to the generated API shows in review and drift
 * fails. Regenerate with UPDATE_GRAPHQL_SCHEMA=1.
 */
export const reader = role(
  {
    articles: {
      read: ['id', 'title', 'status', 'published_at', 'author', 'comments', 'blocks'],
      update: ['title'],
    },
    authors: { read: ['id', 'name'] },
    comments: { read: '*', create: ['article', 'body'] },
    articles_blocks: { read: '*' },
    headings: { read: '*' },
  },
  { articles: ['status'] },
);

const CASES: [name: string, snapshot: SchemaSnapshot, options: GraphqlSchemaOptions][] = [
  ['items-admin', items, { scope: 'items' }],
  ['items-reader', items, { scope: 'items', permissions: reader }],
  ['items-nothing', items, { scope: 'items', permissions: () => null }],
  ['system-admin', system, { scope: 'system' }],
  ['rules', rules, { scope: 'items' }],
  ['views-admin', views, { scope: 'items' }],
];

const DIR = join(__dirname, '__schema__');
const UPDATE = process.env.UPDATE_GRAPHQL_SCHEMA === '1';

describe('printed schemas', () => {
  beforeAll(() => {
    if (UPDATE && !existsSync(DIR)) mkdirSync(DIR);
  });

  it.each(CASES)('%s matches its __schema__ file', (name, snapshot, options) => {
    const schema = buildGraphqlSchema(snapshot, options);
    expect(validateSchema(schema)).toEqual([]);
    const file = join(DIR, `${name}.graphql`);
    const actual = `${printSchema(schema)}\n`;
    if (UPDATE) writeFileSync(file, actual);
    expect(existsSync(file)).toBe(true);
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });

  it('is the same for the same input (deterministic)', () => {
    for (const [, snapshot, options] of CASES) {
      expect(printSchema(buildGraphqlSchema(snapshot, options))).toBe(
        printSchema(buildGraphqlSchema(snapshot, options)),
      );
    }
  });
});

import { InvalidPayloadError } from '@lib/errors';
import { assertName, columnDefinition, defaultLiteral, ident } from './ddl';
import { parseDefault } from './schema-loader';

describe('DDL building', () => {
  it('quotes identifiers', () => {
    expect(ident('articles')).toBe('"articles"');
    expect(ident('a"b')).toBe('"a""b"');
  });

  it.each([
    ['directus_x', `"collection" can't start with "directus_"`],
    ['a/b', `"collection" can't contain "/"`],
    ['', '"collection" is required'],
  ])('rejects collection name %j', (name, reason) => {
    expect(() => assertName('collection', name)).toThrow(new InvalidPayloadError(reason));
  });

  it.each(['x"; drop table y; --', 'a b', '1abc', "o'neil", 'a'.repeat(64), 'semi;colon'])(
    'rejects SQL-looking or invalid identifier %j',
    (name) => {
      expect(() => assertName('field', name)).toThrow(InvalidPayloadError);
    },
  );

  it.each(['articles', '_private', 'with-dash', 'CamelCase9'])('accepts %j', (name) => {
    expect(() => assertName('collection', name)).not.toThrow();
  });

  it('renders default literals safely', () => {
    expect(defaultLiteral(5)).toBe('5');
    expect(defaultLiteral(true)).toBe('true');
    expect(defaultLiteral("it's")).toBe("'it''s'");
    expect(defaultLiteral('now()')).toBe('CURRENT_TIMESTAMP');
    expect(defaultLiteral({ a: 1 })).toBe(`'{"a":1}'`);
    expect(() => defaultLiteral(Infinity)).toThrow(InvalidPayloadError);
  });

  it('builds column definitions per type', () => {
    expect(columnDefinition({ field: 'id', type: 'integer', autoIncrement: true, primaryKey: true })).toBe(
      '"id" serial PRIMARY KEY',
    );
    expect(columnDefinition({ field: 't', type: 'string', maxLength: 20, nullable: false, defaultValue: 'x' })).toBe(
      `"t" varchar(20) NOT NULL DEFAULT 'x'`,
    );
    expect(columnDefinition({ field: 'p', type: 'decimal' })).toBe('"p" numeric(10, 5)');
    expect(columnDefinition({ field: 'f', type: 'float' })).toBe('"f" real');
    expect(columnDefinition({ field: 'ts', type: 'timestamp' })).toBe('"ts" timestamptz');
    expect(columnDefinition({ field: 'dt', type: 'dateTime' })).toBe('"dt" timestamp');
  });
});

describe('parseDefault (catalogue → API default_value)', () => {
  it.each([
    [null, null],
    ["'draft'::character varying", 'draft'],
    ["'it''s'::text", "it's"],
    ['42', 42],
    ["'1.50'::numeric", 1.5],
    ['true', true],
    ['CURRENT_TIMESTAMP', 'CURRENT_TIMESTAMP'],
    ['now()', 'CURRENT_TIMESTAMP'],
    [`'{"a":1}'::json`, { a: 1 }],
    ["nextval('a_id_seq'::regclass)", null],
  ])('%j → %j', (raw, expected) => {
    expect(parseDefault(raw, false)).toEqual(expected);
  });
});

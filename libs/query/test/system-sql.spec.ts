// eslint-disable-next-line no-restricted-imports -- this test keeps its expected SQL in files (I/O in tests only)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidPayloadError } from '@lib/errors';
import * as q from '@lib/query';

/**
 * The statements outside the items read/write path, kept under __sql__ like every generated statement: the schema
 * module's DDL (ddl-*.sql), the catalogue reads (catalog-*.sql) and the fixed statements on system tables
 * (system-*.sql). One file per builder and shape; regenerate with UPDATE_SQL_SNAPSHOTS=1.
 */
const DIR = join(__dirname, '__sql__');
const UPDATE = process.env.UPDATE_SQL_SNAPSHOTS === '1';

type Built = string | q.WriteStatement;

function render(built: Built): string {
  const { sql, params } = typeof built === 'string' ? { sql: built, params: [] } : built;
  return `${sql}\n-- params: ${JSON.stringify(params)}\n`;
}

function expectSnapshot(name: string, built: Built | readonly Built[]): void {
  const actual = (Array.isArray(built) ? built : [built]).map(render).join('\n');
  const file = join(DIR, `${name}.sql`);
  if (UPDATE) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const LONG = 'a_collection_name_that_is_long_enough_to_need_cutting';

const DDL_CASES: [name: string, build: () => Built | readonly Built[]][] = [
  [
    'create-table',
    () =>
      q.ddlCreateTable('articles', [
        { field: 'id', type: 'integer', autoIncrement: true, primaryKey: true },
        { field: 'key', type: 'uuid', primaryKey: false, nullable: false },
        { field: 'title', type: 'string', maxLength: 80, nullable: false, defaultValue: "it's" },
        { field: 'price', type: 'decimal', precision: 8, scale: 2, defaultValue: 1.5 },
        { field: 'published', type: 'boolean', defaultValue: false },
        { field: 'created', type: 'timestamp', defaultValue: 'now()' },
        { field: 'data', type: 'json', defaultValue: { a: [1, 'b'] } },
        { field: 'we"ird', type: 'text' },
      ]),
  ],
  ['create-database', () => q.ddlCreateDatabase('tessera')],
  ['drop-table', () => [q.ddlDropTable('articles'), q.ddlDropTable('we"ird')]],
  [
    'add-column',
    () => [
      q.ddlAddColumn('articles', { field: 'views', type: 'bigInteger', nullable: false, defaultValue: 0 }),
      q.ddlAddColumn('articles', { field: 'seq', type: 'bigInteger', autoIncrement: true, defaultValue: 5 }),
    ],
  ],
  ['drop-column', () => q.ddlDropColumn('articles', 'views')],
  [
    'alter-column-type',
    () => [
      q.ddlAlterColumnType('articles', 'title', 'varchar(20)'),
      q.ddlAlterColumnType('articles', 'price', 'numeric(10, 5)'),
      q.ddlAlterColumnType('articles', 'views', 'integer'),
    ],
  ],
  [
    'set-column-default',
    () => [
      q.ddlSetColumnDefault('articles', 'title', 'x'),
      q.ddlSetColumnDefault('articles', 'created', 'CURRENT_TIMESTAMP(3)'),
      q.ddlSetColumnDefault('articles', 'title', null),
    ],
  ],
  [
    'set-column-nullable',
    () => [q.ddlSetColumnNullable('articles', 'title', true), q.ddlSetColumnNullable('articles', 'title', false)],
  ],
  [
    'unique',
    () => [
      q.ddlAddUnique('articles', 'slug'),
      q.ddlDropConstraint('articles', q.uniqueConstraintName('articles', 'slug')),
      q.ddlAddUnique(LONG, 'another_long_field_name'),
    ],
  ],
  ['index', () => [q.ddlCreateIndex('articles', 'slug'), q.ddlDropIndex('articles', 'slug')]],
  [
    'index-if-missing',
    () => q.ddlCreateIndexIfMissing(q.indexName('comments', 'article'), 'comments', ['article', 'id']),
  ],
  [
    'foreign-key',
    () => [
      q.ddlAddForeignKey(
        'comments',
        q.foreignKeyName('comments', 'article'),
        'article',
        { table: 'articles', key: 'id' },
        { onDelete: 'SET NULL', onUpdate: 'NO ACTION' },
      ),
      q.ddlDropConstraint('comments', 'comments_article_foreign'),
    ],
  ],
];

const SYSTEM_CASES: [name: string, build: () => Built | readonly Built[]][] = [
  [
    'schema-state',
    () => [q.SCHEMA_VERSION_SQL, q.LOCK_SCHEMA_STATE_SQL, q.BUMP_SCHEMA_VERSION_SQL, q.READ_ONLY_SNAPSHOT_SQL],
  ],
  ['meta-rows', () => [q.FIELD_META_ROWS_SQL, q.COLLECTION_META_ROWS_SQL, q.RELATION_META_ROWS_SQL]],
  [
    'insert',
    () =>
      q.compileSystemInsert('directus_relations', {
        many_collection: 'comments',
        many_field: 'article',
        sort_field: null,
      }),
  ],
  [
    'upsert-collection-meta',
    () => [
      q.compileUpsertCollectionMeta('articles', { icon: 'box', note: null, sort_field: 'sort' }),
      q.compileUpsertCollectionMeta('articles', {}),
    ],
  ],
  [
    'collection-meta',
    () => [
      q.compileDeleteCollectionMeta('articles'),
      q.compileUngroupCollections('articles'),
      q.compileClearCollectionField('sort_field', 'articles', 'sort'),
      q.compileClearCollectionField('archive_field', 'articles', 'status'),
    ],
  ],
  [
    'field-meta',
    () => [
      q.compileFieldMetaExists('articles', 'title'),
      q.compileUpdateFieldMeta('articles', 'title', { note: 'n', special: null }),
      q.compileDeleteFieldMeta('articles', 'title'),
      q.compileDeleteCollectionFieldsMeta('articles'),
      q.compileUngroupFields('articles', 'group1'),
      q.compileSetFieldSpecial('comments', 'article', 'm2o'),
      q.compileInsertFieldSpecial('comments', 'article', 'm2o'),
    ],
  ],
  [
    'relation-meta',
    () => [
      q.compileUpdateRelationMeta('comments', 'article', { one_field: 'comments', one_deselect_action: 'nullify' }),
      q.compileSetAllowedCollections('blocks', 'item', 'headings,texts'),
      q.compileDeleteRelationMeta('comments', 'article'),
      q.compileDeleteRelationsOf('many', 'articles'),
      q.compileDeleteRelationsOf('one', 'articles'),
      q.compileClearRelationOneField('articles', 'comments'),
    ],
  ],
  [
    'policies',
    () => [
      q.compileResolvePolicies('8c3a9e4e-0000-4000-8000-000000000001', '8c3a9e4e-0000-4000-8000-000000000002'),
      q.compileResolvePolicies(null, null),
    ],
  ],
  ['permissions', () => q.compilePermissionsOf(['8c3a9e4e-0000-4000-8000-000000000003'])],
  [
    'settings',
    () => [q.SETTINGS_TABLES_SQL, q.SETTINGS_ROW_SQL, q.compileFileType('8c3a9e4e-0000-4000-8000-000000000004')],
  ],
  [
    'bootstrap',
    () => [
      q.LOCK_USERS_SQL,
      q.COUNT_USERS_SQL,
      q.compileSetUserToken('admin@example.com', 'static-token'),
      q.ADMIN_ROLE_SQL,
      q.compileInsertAdminRole('8c3a9e4e-0000-4000-8000-000000000005'),
      q.compileInsertAdminPolicy('8c3a9e4e-0000-4000-8000-000000000006'),
      q.compileInsertRoleAccess(
        '8c3a9e4e-0000-4000-8000-000000000007',
        '8c3a9e4e-0000-4000-8000-000000000005',
        '8c3a9e4e-0000-4000-8000-000000000006',
      ),
      q.compileInsertAdminUser({
        id: '8c3a9e4e-0000-4000-8000-000000000008',
        email: 'admin@example.com',
        passwordHash: '$argon2id$hash',
        role: '8c3a9e4e-0000-4000-8000-000000000005',
        token: null,
      }),
    ],
  ],
  ['advisory-lock', () => q.compileAdvisoryXactLock('8387236825053623552')],
  ['notify-listen', () => [q.compileListen('tessera_schema'), q.compileNotify('tessera_schema', '42')]],
];

const CATALOG_CASES: [name: string, build: () => Built | readonly Built[]][] = [
  ['columns', () => q.CATALOG_COLUMNS_SQL],
  ['foreign-keys', () => q.CATALOG_FOREIGN_KEYS_SQL],
  ['unindexed-foreign-keys', () => q.CATALOG_UNINDEXED_FOREIGN_KEYS_SQL],
  ['system-columns', () => q.CATALOG_SYSTEM_COLUMNS_SQL],
  ['relation-name-taken', () => q.compileRelationNameTaken('comments_article_index')],
  ['database-exists', () => q.compileDatabaseExists('tessera')],
];

describe('DDL snapshots', () => {
  it.each(DDL_CASES.map(([name, build]) => ({ name, build })))('ddl-$name', ({ name, build }) => {
    expectSnapshot(`ddl-${name}`, build());
  });
});

describe('system statement snapshots', () => {
  it.each(SYSTEM_CASES.map(([name, build]) => ({ name, build })))('system-$name', ({ name, build }) => {
    expectSnapshot(`system-${name}`, build());
  });
});

describe('catalogue read snapshots', () => {
  it.each(CATALOG_CASES.map(([name, build]) => ({ name, build })))('catalog-$name', ({ name, build }) => {
    expectSnapshot(`catalog-${name}`, build());
  });
});

describe('DDL literals and names', () => {
  it('renders default literals safely, or rejects what no literal can hold', () => {
    expect(q.defaultLiteral(5)).toBe('5');
    expect(q.defaultLiteral("it's")).toBe("'it''s'");
    expect(q.defaultLiteral(null)).toBe('NULL');
    expect(() => q.defaultLiteral(Infinity)).toThrow(InvalidPayloadError);
    expect(() => q.defaultLiteral('a\u0000b')).toThrow(InvalidPayloadError);
  });

  it('refuses a column for a type without one, and a foreign key action outside the list', () => {
    expect(() => q.ddlAddColumn('articles', { field: 'x', type: 'alias' })).toThrow(InvalidPayloadError);
    expect(() =>
      q.ddlAddForeignKey('a', 'n', 'f', { table: 'b', key: 'id' }, { onDelete: 'DROP TABLE b', onUpdate: 'NO ACTION' }),
    ).toThrow('not a foreign key action');
  });

  it('cuts names over 63 bytes and keeps them apart with a hash', () => {
    const a = q.indexName(LONG, 'first_long_field_name_here');
    const b = q.indexName(LONG, 'second_long_field_name_here');
    expect([a.length, b.length]).toEqual([63, 63]);
    expect(a).not.toBe(b);
  });
});

import { getNamedType, GraphQLObjectType, GraphQLUnionType, isNonNullType, type GraphQLSchema } from 'graphql';
import { buildGraphqlSchema, operationOf, type GraphqlOperation } from '@lib/graphql-schema';
import { resolvePermission, type PermissionRow } from '@lib/permissions';
import { items, role, rules, system } from './fixtures';
import { fieldNames, typeSdl, validationErrors } from './helpers';

const admin = buildGraphqlSchema(items, { scope: 'items' });

function fieldType(schema: GraphQLSchema, typeName: string, field: string): string {
  const type = schema.getType(typeName) as GraphQLObjectType;
  return String(type.getFields()[field]!.type);
}

function rootOperation(schema: GraphQLSchema, root: 'Query' | 'Mutation' | 'Subscription', field: string) {
  const type = (
    root === 'Query'
      ? schema.getQueryType()
      : root === 'Mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType()
  )!;
  return operationOf({ parentType: type, fieldName: field });
}

describe('object types (spec 9 names, spec 15 types)', () => {
  it('maps every field type to its scalar', () => {
    const expected: Record<string, string> = {
      id: 'ID!', // every primary key is an ID, serialised as a string (spec 15)
      title: 'String',
      body: 'String',
      published_at: 'Date',
      views: 'Int',
      rating: 'Float', // decimal is a Float number (spec 15)
      big: 'GraphQLBigInt', // bigInteger is a string
      uid: 'ID',
      data: 'JSON',
      labels: '[String]',
      secret: 'Hash', // conceal
      featured: 'Boolean',
      starts: 'Date', // time
    };
    for (const [field, type] of Object.entries(expected))
      expect([field, fieldType(admin, 'articles', field)]).toEqual([field, type]);
  });

  it('turns relations into objects, lists and M2A unions with list arguments', () => {
    expect(fieldType(admin, 'articles', 'author')).toBe('authors');
    expect(fieldType(admin, 'articles', 'comments')).toBe('[comments]');
    expect(fieldType(admin, 'articles', 'tags')).toBe('[articles_tags]');
    expect(fieldType(admin, 'articles_tags', 'tags_id')).toBe('tags');
    expect(fieldType(admin, 'articles', 'blocks')).toBe('[articles_blocks]');
    const union = admin.getType('articles_blocks_item_union') as GraphQLUnionType;
    expect(union.getTypes().map(String)).toEqual(['headings', 'paragraphs']);
    expect(fieldType(admin, 'articles_blocks', 'item')).toBe('articles_blocks_item_union');
    for (const [type, field] of [
      ['articles', 'author'],
      ['articles', 'comments'],
      ['authors', 'articles'],
    ]) {
      const definition = (admin.getType(type) as GraphQLObjectType).getFields()[field]!;
      expect(definition.args.map((a) => `${a.name}: ${a.type}`)).toEqual([
        `filter: ${getNamedType(definition.type)}_filter`,
        'sort: [String]',
        'limit: Int',
        'offset: Int',
        'page: Int',
        'search: String',
      ]);
    }
  });

  it('adds <field>_func objects: date, time, datetime parts, count (O2M), count and json(path) (json)', () => {
    expect(fieldType(admin, 'authors', 'born_func')).toBe('date_functions');
    expect(fieldType(admin, 'articles', 'starts_func')).toBe('time_functions');
    expect(fieldType(admin, 'articles', 'published_at_func')).toBe('datetime_functions');
    expect(fieldType(admin, 'authors', 'created_on_func')).toBe('datetime_functions'); // timestamp
    expect(fieldType(admin, 'articles', 'data_func')).toBe('json_functions');
    expect(fieldType(admin, 'articles', 'comments_func')).toBe('count_functions');
    expect(fieldNames(admin, 'articles')).not.toContain('title_func');
    expect(typeSdl(admin, 'datetime_functions')).toBe(
      'type datetime_functions {\n  year: Int\n  month: Int\n  week: Int\n  day: Int\n  weekday: Int\n  hour: Int\n  minute: Int\n  second: Int\n}',
    );
    expect(typeSdl(admin, 'count_functions')).toBe('type count_functions {\n  count: Int\n}');
    expect(typeSdl(admin, 'json_functions')).toBe(
      'type json_functions {\n  count: Int\n  json(path: String!): JSON\n}',
    );
  });
});

describe('nullability (spec 9)', () => {
  const schema = buildGraphqlSchema(rules, { scope: 'items' });

  it('makes NOT NULL fields without default or generated value non-null in read and create, never in update', () => {
    expect(fieldType(schema, 'things', 'code')).toBe('String!');
    expect(fieldType(schema, 'things', 'label')).toBe('String'); // has a default
    expect(fieldType(schema, 'things', 'flag')).toBe('Boolean'); // default false is a default
    expect(fieldType(schema, 'things', 'created')).toBe('Date'); // date-created
    expect(fieldType(schema, 'things', 'owner')).toBe('ID'); // user-created
    expect(typeSdl(schema, 'create_things_input')).toContain('  code: String!\n');
    expect(typeSdl(schema, 'update_things_input')).toContain('  code: String\n');
  });

  it('types primary keys as ID: required on create unless generated', () => {
    expect(fieldType(schema, 'things', 'id')).toBe('ID!');
    expect(typeSdl(schema, 'create_things_input')).toContain('  id: ID\n'); // serial
    expect(typeSdl(schema, 'create_codes_input')).toBe('input create_codes_input {\n  code: ID!\n}');
    expect(typeSdl(schema, 'create_uuids_input')).toContain('  id: ID\n'); // uuid special
    expect(typeSdl(schema, 'update_codes_input')).toBe('input update_codes_input {\n  code: ID\n}');
  });

  it('keeps fields only some permission cases allow nullable (they may read as null)', () => {
    const partial = buildGraphqlSchema(rules, {
      scope: 'items',
      permissions: role({ things: { read: '*', create: '*' } }, { things: ['code'] }),
    });
    expect(fieldType(partial, 'things', 'code')).toBe('String');
    expect(typeSdl(partial, 'create_things_input')).toContain('  code: String\n');
  });

  it('describes fields with their note', () => {
    expect(typeSdl(schema, 'things')).toContain('  """Free text"""\n  note: String\n');
  });
});

describe('names GraphQL cannot carry', () => {
  const schema = buildGraphqlSchema(rules, { scope: 'items' });

  it('skips invalid or reserved collection names and collections whose generated names clash', () => {
    const query = fieldNames(schema, 'Query');
    expect(query).toEqual([
      'things',
      'things_by_id',
      'things_aggregated',
      'codes',
      'codes_by_id',
      'codes_aggregated',
      'uuids',
      'uuids_by_id',
      'uuids_aggregated',
    ]);
    expect(schema.getType('things_filter')).toBeInstanceOf(Object);
    expect(fieldNames(schema, 'things_filter')).toContain('code'); // the filter type, not the collection
  });

  it('skips fields with invalid names and alias fields without a relation', () => {
    expect(fieldNames(schema, 'things')).toEqual([
      'id',
      'code',
      'label',
      'flag',
      'created',
      'created_func',
      'owner',
      'note',
      'odd',
    ]);
    expect(fieldNames(schema, 'things_filter')).not.toContain('odd'); // unknown types have no operators
  });
});

describe('root fields', () => {
  it('generates list, by_id and aggregated queries, and a bare field for singletons', () => {
    expect(fieldNames(admin, 'Query')).toEqual(
      expect.arrayContaining(['articles', 'articles_by_id', 'articles_aggregated', 'settings']),
    );
    expect(fieldNames(admin, 'Query')).not.toContain('settings_by_id');
    expect(fieldNames(admin, 'Query')).not.toContain('settings_aggregated');
    expect(String(admin.getQueryType()!.getFields().settings!.type)).toBe('settings');
    expect(admin.getQueryType()!.getFields().settings!.args).toEqual([]);
    expect(String(admin.getQueryType()!.getFields().articles!.type)).toBe('[articles!]!');
    expect(String(admin.getQueryType()!.getFields().articles_aggregated!.type)).toBe('[articles_aggregated!]!');
    expect(
      admin
        .getQueryType()!
        .getFields()
        .articles_aggregated!.args.map((a) => a.name),
    ).toEqual(['groupBy', 'filter', 'limit', 'offset', 'page', 'search', 'sort']);
  });

  it('generates every mutation, singletons only update_<c>', () => {
    const mutations = fieldNames(admin, 'Mutation');
    for (const name of [
      'create_articles_items',
      'create_articles_item',
      'update_articles_items',
      'update_articles_batch',
      'update_articles_item',
      'delete_articles_items',
      'delete_articles_item',
      'update_settings',
    ]) {
      expect(mutations).toContain(name);
    }
    expect(mutations.filter((m) => m.includes('settings'))).toEqual(['update_settings']);
    expect(typeSdl(admin, 'delete_many')).toBe('type delete_many {\n  ids: [ID]!\n}');
    expect(typeSdl(admin, 'delete_one')).toBe('type delete_one {\n  id: ID!\n}');
  });

  it('takes nested relational inputs', () => {
    const create = typeSdl(admin, 'create_articles_input');
    expect(create).toContain('  author: create_authors_input\n');
    expect(create).toContain('  comments: [create_comments_input]\n');
    expect(create).toContain('  tags: [create_articles_tags_input]\n');
    expect(typeSdl(admin, 'create_articles_blocks_input')).toContain('  item: String\n  collection: String\n');
    expect(typeSdl(admin, 'update_articles_input')).toContain('  comments: [update_comments_input]\n');
  });

  it('carries its operation in extensions.tessera', () => {
    const cases: [root: 'Query' | 'Mutation' | 'Subscription', field: string, op: GraphqlOperation][] = [
      ['Query', 'articles', { kind: 'items', collection: 'articles', returnsItems: true }],
      ['Query', 'articles_by_id', { kind: 'by_id', collection: 'articles', returnsItems: true }],
      ['Query', 'articles_aggregated', { kind: 'aggregated', collection: 'articles', returnsItems: true }],
      ['Query', 'settings', { kind: 'singleton', collection: 'settings', returnsItems: true }],
      ['Mutation', 'create_articles_items', { kind: 'create_items', collection: 'articles', returnsItems: true }],
      ['Mutation', 'create_articles_item', { kind: 'create_item', collection: 'articles', returnsItems: true }],
      ['Mutation', 'update_articles_items', { kind: 'update_items', collection: 'articles', returnsItems: true }],
      ['Mutation', 'update_articles_batch', { kind: 'update_batch', collection: 'articles', returnsItems: true }],
      ['Mutation', 'update_articles_item', { kind: 'update_item', collection: 'articles', returnsItems: true }],
      ['Mutation', 'update_settings', { kind: 'update_singleton', collection: 'settings', returnsItems: true }],
      ['Mutation', 'delete_articles_items', { kind: 'delete_items', collection: 'articles', returnsItems: false }],
      ['Mutation', 'delete_articles_item', { kind: 'delete_item', collection: 'articles', returnsItems: false }],
      ['Subscription', 'articles_mutated', { kind: 'mutated', collection: 'articles', returnsItems: true }],
    ];
    for (const [root, field, op] of cases) expect([field, rootOperation(admin, root, field)]).toEqual([field, op]);
  });

  it('subscribes to <c>_mutated(event) with key, event and data', () => {
    expect(typeSdl(admin, 'articles_mutated')).toBe(
      'type articles_mutated {\n  key: ID!\n  event: EventEnum\n  data: articles\n}',
    );
    expect(typeSdl(admin, 'EventEnum')).toBe('enum EventEnum {\n  create\n  update\n  delete\n}');
  });

  it('answers _empty: Void when nothing is readable', () => {
    const none = buildGraphqlSchema(items, { scope: 'items', permissions: () => null });
    expect(fieldNames(none, 'Query')).toEqual(['_empty']);
    expect(String(none.getQueryType()!.getFields()._empty!.type)).toBe('Void');
    expect(none.getMutationType()).toBeNull();
    expect(none.getSubscriptionType()).toBeNull();
  });
});

describe('system scope (/graphql/system)', () => {
  const schema = buildGraphqlSchema(system, { scope: 'system' });

  it('names root fields without directus_, types with it', () => {
    const query = fieldNames(schema, 'Query');
    expect(query).toEqual([
      'server_ping',
      'server_info',
      'server_health',
      'collections',
      'collections_by_name',
      'fields',
      'fields_in_collection',
      'fields_by_name',
      'relations',
      'relations_in_collection',
      'relations_by_name',
      'users_me',
      'roles_me',
      'users',
      'users_by_id',
      'users_aggregated',
      'roles',
      'roles_by_id',
      'roles_aggregated',
      'policies',
      'policies_by_id',
      'policies_aggregated',
      'permissions',
      'permissions_by_id',
      'permissions_aggregated',
      'activity',
      'activity_by_id',
      'activity_aggregated',
    ]);
    expect(String(schema.getQueryType()!.getFields().users!.type)).toBe('[directus_users!]!');
    expect(String(schema.getQueryType()!.getFields().users_me!.type)).toBe('directus_users');
    expect(String(schema.getQueryType()!.getFields().roles_me!.type)).toBe('[directus_roles]');
  });

  it('leaves out user collections, the deny list, and mutations of read-only collections', () => {
    expect(schema.getType('notes')).toBeUndefined();
    // directus_collections is on the deny list: no items queries, only the schema query's type
    expect(schema.getType('directus_collections_filter')).toBeUndefined();
    expect(fieldNames(schema, 'Query')).not.toContain('collections_aggregated');
    const mutations = fieldNames(schema, 'Mutation');
    expect(mutations.slice(0, 4)).toEqual(['auth_login', 'auth_refresh', 'auth_logout', 'update_users_me']);
    expect(mutations).toContain('create_users_item');
    expect(mutations).toContain('delete_permissions_items');
    expect(mutations.some((m) => m.includes('activity'))).toBe(false);
  });

  it('has the schema queries as Directus has them, for roles that may read the metadata', () => {
    const fields = schema.getQueryType()!.getFields();
    expect(String(fields.collections!.type)).toBe('[directus_collections!]!');
    expect(fields.fields_by_name!.args.map((a) => `${a.name}: ${a.type}`)).toEqual([
      'collection: String!',
      'field: String!',
    ]);
    expect(typeSdl(schema, 'directus_collections')).toBe(
      'type directus_collections {\n  collection: String\n  meta: directus_collections_meta\n  schema: directus_collections_schema\n}',
    );
    expect(rootOperation(schema, 'Query', 'relations_in_collection')).toEqual({
      kind: 'relations_in_collection',
      collection: null,
      returnsItems: false,
    });
    const role = buildGraphqlSchema(system, {
      scope: 'system',
      permissions: () => ({ fields: '*' }),
      readsSchema: (c) => c === 'directus_fields',
    });
    const names = fieldNames(role, 'Query');
    expect(names).toEqual(expect.arrayContaining(['fields', 'fields_in_collection', 'fields_by_name']));
    expect(names).not.toContain('collections');
    expect(names).not.toContain('relations');
    const none = buildGraphqlSchema(system, { scope: 'system', permissions: () => ({ fields: '*' }) });
    expect(fieldNames(none, 'Query')).not.toContain('fields');
  });

  it('has the auth mutations as Directus has them', () => {
    expect(typeSdl(schema, 'auth_tokens')).toBe(
      'type auth_tokens {\n  access_token: String\n  expires: GraphQLBigInt\n  refresh_token: String\n}',
    );
    const login = schema.getMutationType()!.getFields().auth_login!;
    expect(login.args.map((a) => `${a.name}: ${a.type}`)).toEqual([
      'email: String!',
      'password: String!',
      'mode: auth_mode',
      'otp: String',
    ]);
    expect(String(schema.getMutationType()!.getFields().auth_logout!.type)).toBe('Boolean');
    expect(rootOperation(schema, 'Mutation', 'auth_login')).toEqual({
      kind: 'auth_login',
      collection: null,
      returnsItems: false,
    });
    expect(rootOperation(schema, 'Query', 'users_me')).toEqual({
      kind: 'users_me',
      collection: 'directus_users',
      returnsItems: true,
    });
    expect(rootOperation(schema, 'Query', 'users')).toEqual({
      kind: 'items',
      collection: 'directus_users',
      returnsItems: true,
    });
  });

  it('keeps directus_permissions ids nullable (directus#20509)', () => {
    expect(fieldType(schema, 'directus_permissions', 'id')).toBe('ID');
    expect(typeSdl(schema, 'create_directus_permissions_input')).toContain('  id: ID\n');
  });

  it('has no subscriptions', () => {
    expect(schema.getSubscriptionType()).toBeNull();
  });

  it('reaches system collections from the items scope through relations, without root fields', () => {
    const withUsers = buildGraphqlSchema(system, { scope: 'items' });
    expect(fieldNames(withUsers, 'Query')).toEqual(['notes', 'notes_by_id', 'notes_aggregated']);
    expect(withUsers.getType('directus_users')).toBeUndefined(); // nothing of notes points there
  });
});

describe('validation errors are graphql-js own (HTTP 400 GRAPHQL_VALIDATION)', () => {
  it('rejects unknown fields and collections', () => {
    expect(validationErrors(admin, '{ articles { nope } }')).toEqual(['Cannot query field "nope" on type "articles".']);
    expect(validationErrors(admin, '{ article { id } }')).toEqual([
      'Cannot query field "article" on type "Query". Did you mean "articles"?',
    ]);
  });

  it('rejects operators a field type does not allow', () => {
    expect(validationErrors(admin, '{ articles(filter: { featured: { _contains: "x" } }) { id } }')).toEqual([
      'Field "_contains" is not defined by type "boolean_filter_operators".',
    ]);
  });

  it('is valid for a query using every kind of field', () => {
    const source = `{
      articles(filter: { _or: [{ title: { _contains: "a" } }, { published_at_func: { year: { _eq: 2024 } } }],
                         comments: { _some: { body: { _icontains: "x" } } }, blocks: { item__headings: { title: { _eq: "Intro" } } } },
               sort: ["-id"], limit: 2) {
        id title published_at_func { year } comments_func { count }
        author(filter: { name: { _eq: "Ada" } }) { name }
        comments(limit: 1, sort: ["id"]) { body }
        blocks { item { __typename ... on headings { title } ... on paragraphs { body } } }
      }
      articles_aggregated(groupBy: ["status"]) { group countAll count { id } sum { views } avg { rating } }
      settings { site_name }
    }`;
    expect(validationErrors(admin, source)).toEqual([]);
  });
});

describe('per-role visibility', () => {
  const reader = role({
    articles: { read: ['id', 'title', 'author', 'comments', 'blocks'], create: ['title', 'secret'], delete: '*' },
    authors: { read: ['name'] },
    articles_blocks: { read: ['id', 'item', 'collection'] },
    headings: { read: '*' },
    tags: { create: '*' },
  });
  const schema = buildGraphqlSchema(items, { scope: 'items', permissions: reader });

  it('leaves unreadable fields out of types and filters: asking for them is a validation error', () => {
    expect(fieldNames(schema, 'articles')).toEqual(['id', 'title', 'author', 'blocks', 'blocks_func']);
    expect(validationErrors(schema, '{ articles { body } }')).toEqual([
      'Cannot query field "body" on type "articles".',
    ]);
    expect(validationErrors(schema, '{ articles(filter: { body: { _eq: "x" } }) { id } }')).toEqual([
      'Field "body" is not defined by type "articles_filter".',
    ]);
    expect(fieldNames(schema, 'articles_filter')).toEqual([
      'id',
      'title',
      'author',
      'blocks',
      'blocks_func',
      '_and',
      '_or',
    ]);
  });

  it('leaves unreadable collections out (O2M into them too)', () => {
    expect(schema.getType('comments')).toBeUndefined();
    expect(validationErrors(schema, '{ comments { id } }')[0]).toMatch(
      /^Cannot query field "comments" on type "Query"\./,
    );
    expect(fieldNames(schema, 'Query')).not.toContain('tags');
  });

  it('keeps the primary key out of a type that does not allow it, but the collection queryable by id', () => {
    expect(fieldNames(schema, 'authors')).toEqual(['name']);
    expect(fieldNames(schema, 'Query')).toContain('authors_by_id');
  });

  it('shows an M2O whose target is unreadable as its key', () => {
    const noAuthors = buildGraphqlSchema(items, {
      scope: 'items',
      permissions: role({ articles: { read: ['id', 'author'] } }),
    });
    expect(fieldType(noAuthors, 'articles', 'author')).toBe('Int');
    expect(fieldNames(noAuthors, 'articles_filter')).toEqual(['id', 'author', '_and', '_or']);
  });

  it('cuts M2A unions to readable targets, and shows the key when the collection field is unreadable', () => {
    expect((schema.getType('articles_blocks_item_union') as GraphQLUnionType).getTypes().map(String)).toEqual([
      'headings',
    ]);
    expect(fieldNames(schema, 'articles_blocks_filter')).toEqual(['id', 'item__headings', 'collection', '_and', '_or']);
    const blind = buildGraphqlSchema(items, {
      scope: 'items',
      permissions: role({ articles_blocks: { read: ['id', 'item'] }, headings: { read: '*' } }),
    });
    expect(fieldType(blind, 'articles_blocks', 'item')).toBe('String');
  });

  it('generates only the mutations the role may perform; Boolean when it can write but not read', () => {
    expect(fieldNames(schema, 'Mutation')).toEqual([
      'create_articles_items',
      'create_articles_item',
      'create_tags_items',
      'create_tags_item',
      'delete_articles_items',
      'delete_articles_item',
    ]);
    expect(String(schema.getMutationType()!.getFields().create_tags_item!.type)).toBe('Boolean');
    expect(
      schema
        .getMutationType()!
        .getFields()
        .create_tags_items!.args.map((a) => a.name),
    ).toEqual(['data']);
    expect(rootOperation(schema, 'Mutation', 'create_tags_item')).toEqual({
      kind: 'create_item',
      collection: 'tags',
      returnsItems: false,
    });
  });

  it('keeps write-only fields in inputs', () => {
    expect(typeSdl(schema, 'create_articles_input')).toBe(
      'input create_articles_input {\n  title: String\n  secret: Hash\n}',
    );
    expect(fieldNames(schema, 'articles')).not.toContain('secret');
  });

  it('offers no mutation of a collection with no writable column', () => {
    const aliasOnly = buildGraphqlSchema(items, {
      scope: 'items',
      permissions: role({ authors: { read: '*', update: ['articles'] }, articles: { read: '*', update: '*' } }),
    });
    expect(fieldNames(aliasOnly, 'Mutation').filter((m) => m.includes('authors'))).toEqual([]);
  });

  it('takes the key of an M2O whose target the role cannot create', () => {
    const writer = buildGraphqlSchema(items, {
      scope: 'items',
      permissions: role({ comments: { create: ['body', 'article'] } }),
    });
    expect(typeSdl(writer, 'create_comments_input')).toBe(
      'input create_comments_input {\n  article: Int\n  body: String\n}',
    );
  });

  it('makes non-null a root list of non-null items only', () => {
    const list = schema.getQueryType()!.getFields().articles!.type;
    expect(isNonNullType(list)).toBe(true);
  });
});

describe('permissions from libs/permissions', () => {
  it('takes resolvePermission results as they are (EffectivePermission is an ActionPermission)', () => {
    const rows: PermissionRow[] = [
      {
        collection: 'tags',
        action: 'read',
        permissions: null,
        validation: null,
        presets: null,
        fields: ['*'],
        policy: 'p1',
      },
      {
        collection: 'tags',
        action: 'update',
        permissions: { id: { _eq: 1 } },
        validation: null,
        presets: null,
        fields: ['name'],
        policy: 'p1',
      },
      {
        collection: 'headings',
        action: 'read',
        permissions: { id: { _eq: 1 } },
        validation: null,
        presets: null,
        fields: ['id', 'title'],
        policy: 'p1',
      },
      {
        collection: 'headings',
        action: 'read',
        permissions: { id: { _eq: 2 } },
        validation: null,
        presets: null,
        fields: ['id'],
        policy: 'p2',
      },
    ];
    const schema = buildGraphqlSchema(items, {
      scope: 'items',
      permissions: (collection, action) =>
        resolvePermission(rows, collection, action, ['p1', 'p2'], items.collections[collection]?.fieldOrder ?? []),
    });
    expect(fieldNames(schema, 'Query')).toEqual([
      'tags',
      'tags_by_id',
      'tags_aggregated',
      'headings',
      'headings_by_id',
      'headings_aggregated',
    ]);
    expect(fieldNames(schema, 'Mutation')).toEqual(['update_tags_items', 'update_tags_batch', 'update_tags_item']);
    expect(typeSdl(schema, 'update_tags_input')).toBe('input update_tags_input {\n  name: String\n}');
    expect(typeSdl(schema, 'headings')).toBe('type headings {\n  id: ID!\n  title: String\n}');
  });
});

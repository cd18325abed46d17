import { createHash } from 'node:crypto';
import type { CollectionSnapshot, FieldSnapshot, FieldType, SchemaSnapshot } from '@lib/schema';

/**
 * The OpenAPI 3 document of GET /server/specs/oas, built from a role's view of the schema snapshot as Directus's
 * OASSpecsService builds it: one tag, one component schema and the `/items/<collection>` paths per readable user
 * collection (`Items<Title>` names, `read|create|update|delete[Single]<Tag>` operation ids), the system routes Tessera
 * serves for the readable system collections, and only the methods the role's permissions allow. Pure: the caller
 * passes the view (the full snapshot for admins) and which actions the role has per collection.
 */

type Json = Record<string, unknown>;
type Method = 'get' | 'post' | 'patch' | 'delete';
type Action = 'read' | 'create' | 'update' | 'delete';

export interface OasInput {
  /** What the caller may read: the snapshot itself for admins, its read view otherwise. */
  readonly schema: SchemaSnapshot;
  readonly admin: boolean;
  /** Signed in (a user): the user routes are listed. */
  readonly user: boolean;
  /** Whether the role has `action` on `collection` (true for admins). */
  readonly can: (collection: string, action: Action) => boolean;
  /** Whether the role may read a schema route's metadata (`directus_collections`, ...; true for admins). */
  readonly metaReadable: (collection: 'directus_collections' | 'directus_fields' | 'directus_relations') => boolean;
  readonly server: string;
  /** Identifies the caller's view (schema version, policies): the document's `info.version` hashes it. */
  readonly fingerprint: string;
}

const ACTIONS: Record<Method, Action> = { get: 'read', post: 'create', patch: 'update', delete: 'delete' };

/** The system collections Tessera serves through their own routes, with their tag and path. */
const SYSTEM_ROUTES: Readonly<Record<string, { tag: string; path: string; description: string }>> = {
  directus_users: { tag: 'Users', path: '/users', description: 'The users of the project.' },
  directus_roles: { tag: 'Roles', path: '/roles', description: 'Roles group users and carry policies.' },
  directus_policies: { tag: 'Policies', path: '/policies', description: 'Policies grant permissions and access.' },
  directus_access: { tag: 'Access', path: '/access', description: 'Which roles and users a policy applies to.' },
  directus_permissions: {
    tag: 'Permissions',
    path: '/permissions',
    description: 'What each policy allows on each collection.',
  },
};

export function buildOas(input: OasInput): Json {
  const collections = Object.values(input.schema.collections);
  const collectionTags: Json[] = [];
  for (const c of collections) {
    const system = SYSTEM_ROUTES[c.collection];
    if (system)
      collectionTags.push({ name: system.tag, description: system.description, 'x-collection': c.collection });
    else if (!isSystemName(c.collection)) {
      const note = typeof c.meta?.note === 'string' ? { description: c.meta.note } : {};
      collectionTags.push({ name: tagName(c.collection), ...note, 'x-collection': c.collection });
    }
  }
  const tags = [...routeTags(input, new Set(collectionTags.map((t) => t.name as string))), ...collectionTags];
  const tagOf = (collection: string) => tags.find((t) => t['x-collection'] === collection)?.name as string | undefined;
  const paths: Json = { ...routePaths(input) };
  const schemas: Json = { ...BASE_SCHEMAS };
  for (const c of collections) {
    const tag = tagOf(c.collection);
    if (!tag) continue;
    Object.assign(paths, collectionPaths(input, c, tag));
    schemas[tag] = componentSchema(input.schema, c, tagOf);
  }
  return {
    openapi: '3.0.1',
    info: {
      title: 'Dynamic API Specification',
      description: "The API of this project, generated for the caller's role from the current schema.",
      version: createHash('sha1').update(input.fingerprint).digest('hex'),
    },
    servers: [{ url: input.server, description: 'This Tessera instance.' }],
    paths,
    tags,
    components: { schemas, parameters: PARAMETERS, responses: RESPONSES, securitySchemes: SECURITY_SCHEMES },
    security: [{ Auth: [] }, { KeyAuth: [] }],
  };
}

function isSystemName(collection: string): boolean {
  return collection.startsWith('directus_');
}

/** `blog_posts` → `ItemsBlogPosts` (Directus: "Items" + the formatted title without spaces). */
export function tagName(collection: string): string {
  const title = collection
    .split(/[_\-\s]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
  return `Items${title}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Routes that are not a collection's

interface Route {
  path: string;
  method: Method;
  tag: string;
  summary: string;
  operationId: string;
  who: 'all' | 'user' | 'admin' | 'directus_collections' | 'directus_fields' | 'directus_relations';
}

const ROUTES: readonly Route[] = [
  { path: '/auth/login', method: 'post', tag: 'Authentication', summary: 'Log in', operationId: 'login', who: 'all' },
  {
    path: '/auth/refresh',
    method: 'post',
    tag: 'Authentication',
    summary: 'Refresh the access token',
    operationId: 'refresh',
    who: 'all',
  },
  {
    path: '/auth/logout',
    method: 'post',
    tag: 'Authentication',
    summary: 'Log out',
    operationId: 'logout',
    who: 'all',
  },
  { path: '/server/ping', method: 'get', tag: 'Server', summary: 'Ping the server', operationId: 'ping', who: 'all' },
  {
    path: '/server/health',
    method: 'get',
    tag: 'Server',
    summary: 'Health of the server',
    operationId: 'health',
    who: 'all',
  },
  {
    path: '/server/info',
    method: 'get',
    tag: 'Server',
    summary: 'Information about the project and server',
    operationId: 'serverInfo',
    who: 'all',
  },
  {
    path: '/server/specs/oas',
    method: 'get',
    tag: 'Server',
    summary: "This document: the OpenAPI specification for the caller's role",
    operationId: 'oas',
    who: 'all',
  },
  {
    path: '/users/me',
    method: 'get',
    tag: 'Users',
    summary: 'The current user',
    operationId: 'getMe',
    who: 'user',
  },
  {
    path: '/permissions/me',
    method: 'get',
    tag: 'Permissions',
    summary: "The current user's access per collection and action",
    operationId: 'getMyPermissions',
    who: 'user',
  },
  {
    path: '/permissions/me/{collection}/{id}',
    method: 'get',
    tag: 'Permissions',
    summary: "The current user's update, delete and share access to one item",
    operationId: 'getMyItemPermissions',
    who: 'user',
  },
  {
    path: '/collections',
    method: 'get',
    tag: 'Collections',
    summary: 'List the collections',
    operationId: 'getCollections',
    who: 'directus_collections',
  },
  {
    path: '/fields',
    method: 'get',
    tag: 'Fields',
    summary: 'List the fields',
    operationId: 'getFields',
    who: 'directus_fields',
  },
  {
    path: '/relations',
    method: 'get',
    tag: 'Relations',
    summary: 'List the relations',
    operationId: 'getRelations',
    who: 'directus_relations',
  },
  {
    path: '/utils/cache/clear',
    method: 'post',
    tag: 'Utilities',
    summary: 'Clear the schema and permission caches',
    operationId: 'clearCache',
    who: 'admin',
  },
];

const ROUTE_TAGS: Readonly<Record<string, string>> = {
  Authentication: 'Log in and out, and refresh access tokens. Without a token a request is public.',
  Server: 'The server: ping, health, project information and this specification.',
  Collections: 'The collections of the project.',
  Fields: 'The fields of the collections.',
  Relations: 'The relations between collections.',
  Utilities: 'Utilities for administrators.',
  Users: SYSTEM_ROUTES.directus_users!.description,
  Permissions: SYSTEM_ROUTES.directus_permissions!.description,
};

function routeAllowed(input: OasInput, route: Route): boolean {
  switch (route.who) {
    case 'all':
      return true;
    case 'user':
      return input.user;
    case 'admin':
      return input.admin;
    default:
      return input.admin || input.metaReadable(route.who);
  }
}

/** The tags of the routes listed, but for those a readable collection's tag already names (Users, Permissions). */
function routeTags(input: OasInput, collectionTags: ReadonlySet<string>): Json[] {
  const names = new Set(ROUTES.filter((r) => routeAllowed(input, r)).map((r) => r.tag));
  return Object.entries(ROUTE_TAGS)
    .filter(([name]) => names.has(name) && !collectionTags.has(name))
    .map(([name, description]) => ({ name, description }));
}

function routePaths(input: OasInput): Json {
  const paths: Record<string, Json> = {};
  for (const route of ROUTES) {
    if (!routeAllowed(input, route)) continue;
    paths[route.path] ??= {};
    paths[route.path]![route.method] = {
      summary: route.summary,
      tags: [route.tag],
      operationId: route.operationId,
      responses: { '200': { description: 'Successful request' }, '401': UNAUTHORIZED, '403': FORBIDDEN },
    };
  }
  return paths;
}

// ---------------------------------------------------------------------------------------------------------------
// A collection's paths

const REF = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const PARAM = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const UNAUTHORIZED = { $ref: '#/components/responses/UnauthorizedError' };
const FORBIDDEN = { $ref: '#/components/responses/ForbiddenError' };

const LIST_PARAMETERS = ['Fields', 'Filter', 'Search', 'Sort', 'Limit', 'Offset', 'Page', 'Meta'].map(PARAM);
const READ_PARAMETERS = [...LIST_PARAMETERS, ...['Aggregate', 'GroupBy', 'Deep', 'Alias', 'Backlink'].map(PARAM)];

function collectionPaths(input: OasInput, c: CollectionSnapshot, tag: string): Json {
  const system = SYSTEM_ROUTES[c.collection];
  const list = system ? system.path : `/items/${c.collection}`;
  const detail = `${list}/{id}`;
  const label = system ? system.tag.toLowerCase() : `${c.collection} items`;
  const allowed = (method: Method) =>
    input.admin || (method === 'get' ? true : !system && input.can(c.collection, ACTIONS[method]));
  const one = { $ref: `#/components/schemas/${tag}` };
  const many = c.singleton ? one : { type: 'array', items: one };
  const body = (schema: Json) => ({ content: { 'application/json': { schema } } });
  const data = (schema: Json) => ({
    description: 'Successful request',
    content: { 'application/json': { schema: { type: 'object', properties: { data: schema } } } },
  });
  const errors = { '401': UNAUTHORIZED, '403': FORBIDDEN };
  const listOps: Record<Method, Json> = {
    get: {
      summary: `List the ${label}`,
      parameters: READ_PARAMETERS,
      responses: {
        '200': {
          description: 'Successful request',
          content: {
            'application/json': {
              schema: { type: 'object', properties: { data: many, meta: REF('x-metadata') } },
            },
          },
        },
        ...errors,
      },
    },
    post: {
      summary: `Create ${label}`,
      parameters: [PARAM('Fields'), PARAM('Meta')],
      requestBody: body({ oneOf: [{ type: 'array', items: one }, one] }),
      responses: { '200': data(many), ...errors },
    },
    patch: {
      summary: `Update ${label}`,
      parameters: LIST_PARAMETERS,
      requestBody: body({ oneOf: [{ type: 'array', items: one }, one] }),
      responses: { '200': data(many), ...errors },
    },
    delete: {
      summary: `Delete ${label}`,
      requestBody: body({ oneOf: [{ type: 'array', items: {} }, { type: 'object' }] }),
      responses: { '204': { description: 'Deleted' }, ...errors },
    },
  };
  const id = {
    name: 'id',
    in: 'path',
    required: true,
    description: 'The primary key of the item.',
    schema: FIELD_TYPES[c.fields[c.primaryKey]!.type] ?? {},
  };
  const detailOps: Record<Exclude<Method, 'post'>, Json> = {
    get: {
      summary: `Read one of the ${label}`,
      parameters: [id, PARAM('Fields')],
      responses: { '200': data(one), ...errors },
    },
    patch: {
      summary: `Update one of the ${label}`,
      parameters: [id, PARAM('Fields')],
      requestBody: body(one),
      responses: { '200': data(one), ...errors },
    },
    delete: {
      summary: `Delete one of the ${label}`,
      parameters: [id],
      responses: { '204': { description: 'Deleted' }, ...errors },
    },
  };
  const listPath: Json = {};
  const detailPath: Json = {};
  for (const method of ['get', 'post', 'patch', 'delete'] as const) {
    if (!allowed(method)) continue;
    const action = ACTIONS[method];
    listPath[method] = { ...listOps[method], tags: [tag], operationId: `${action}${tag}` };
    if (method !== 'post') {
      detailPath[method] = { ...detailOps[method], tags: [tag], operationId: `${action}Single${tag}` };
    }
  }
  return { [list]: listPath, [detail]: detailPath };
}

// ---------------------------------------------------------------------------------------------------------------
// Component schemas

const FIELD_TYPES: Readonly<Partial<Record<FieldType, Json>>> = {
  alias: { type: 'string' },
  bigInteger: { type: 'integer', format: 'int64' },
  binary: { type: 'string', format: 'binary' },
  boolean: { type: 'boolean' },
  csv: { type: 'array', items: { type: 'string' } },
  date: { type: 'string', format: 'date' },
  dateTime: { type: 'string', format: 'date-time' },
  decimal: { type: 'number' },
  float: { type: 'number', format: 'float' },
  hash: { type: 'string' },
  integer: { type: 'integer' },
  json: {},
  string: { type: 'string' },
  text: { type: 'string' },
  time: { type: 'string', format: 'time' },
  timestamp: { type: 'string', format: 'timestamp' },
  unknown: {},
  uuid: { type: 'string', format: 'uuid' },
};

/** A collection's component: its readable fields, relations as key-or-object, required = NOT NULL without default. */
function componentSchema(
  schema: SchemaSnapshot,
  c: CollectionSnapshot,
  tagOf: (collection: string) => string | undefined,
): Json {
  const properties: Json = {};
  const required: string[] = [];
  for (const name of c.fieldOrder) {
    const field = c.fields[name]!;
    properties[name] = fieldSchema(schema, c, field, tagOf);
    const generated = field.schema?.is_generated === true;
    if (!field.alias && !field.nullable && field.defaultValue === null && !field.autoIncrement && !generated) {
      required.push(name);
    }
  }
  return {
    type: 'object',
    properties,
    ...(required.length ? { required } : {}),
    'x-collection': c.collection,
  };
}

function fieldSchema(
  schema: SchemaSnapshot,
  c: CollectionSnapshot,
  field: FieldSnapshot,
  tagOf: (collection: string) => string | undefined,
): Json {
  const out: Json = { nullable: field.nullable };
  if (typeof field.meta?.note === 'string') out.description = field.meta.note;
  const relation = Object.hasOwn(c.relations, field.field) ? c.relations[field.field] : undefined;
  const keyOf = (collection: string) => {
    const related = schema.collections[collection]!;
    return FIELD_TYPES[related.fields[related.primaryKey]!.type] ?? {};
  };
  if (!relation) return { ...out, ...FIELD_TYPES[field.type] };
  if (relation.kind === 'm2o') {
    const tag = tagOf(relation.related);
    return tag ? { ...out, oneOf: [keyOf(relation.related), REF(tag)] } : { ...out, ...FIELD_TYPES[field.type] };
  }
  if (relation.kind === 'o2m') {
    const tag = tagOf(relation.related);
    return tag ? { ...out, type: 'array', items: { oneOf: [keyOf(relation.related), REF(tag)] } } : out;
  }
  const targets = relation.allowedCollections.flatMap((t) => (tagOf(t) ? [REF(tagOf(t)!)] : []));
  return { ...out, type: 'array', items: { oneOf: [{ type: 'string' }, ...targets] } };
}

// ---------------------------------------------------------------------------------------------------------------
// The fixed vocabulary

const BASE_SCHEMAS: Json = {
  Error: {
    type: 'object',
    required: ['message', 'extensions'],
    properties: {
      message: { type: 'string' },
      extensions: {
        type: 'object',
        required: ['code'],
        properties: { code: { type: 'string' } },
        additionalProperties: true,
      },
    },
  },
  'x-metadata': {
    type: 'object',
    properties: {
      total_count: { description: 'How many items the collection holds that the caller may read.', type: 'integer' },
      filter_count: { description: 'How many of them match the filter and search.', type: 'integer' },
    },
  },
};

const query = (name: string, description: string, schema: Json) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const LIST = { type: 'array', items: { type: 'string' } };

export const PARAMETERS: Json = {
  Fields: query('fields', 'Which fields to return; dotted paths reach related items, `*` all fields.', LIST),
  Filter: query('filter', 'Only the items matching these conditions.', { type: 'object' }),
  Search: query('search', 'Only the items whose searchable fields contain this text.', { type: 'string' }),
  Sort: query('sort', 'The fields to order by; `-` sorts descending.', LIST),
  Limit: query('limit', 'How many items to return at most; -1 for all.', { type: 'integer', minimum: -1 }),
  Offset: query('offset', 'How many items to skip.', { type: 'integer', minimum: 0 }),
  Page: query('page', 'Which page of `limit` items to return, from 1.', { type: 'integer', minimum: 1 }),
  Meta: query('meta', 'Counts to return: total_count, filter_count or `*`.', { type: 'string' }),
  Aggregate: query('aggregate', 'Aggregate functions to apply, with the fields they apply to.', { type: 'object' }),
  GroupBy: query('groupBy', 'The fields to group aggregates by.', LIST),
  Deep: query('deep', 'Query parameters for related items, per relation.', { type: 'object' }),
  Alias: query('alias', 'Other names for fields, so one field can be requested twice.', { type: 'object' }),
  Backlink: query('backlink', 'Whether `*.*` expands back into the relation it came through.', {
    type: 'boolean',
  }),
};

const errorResponse = (description: string) => ({
  description,
  content: {
    'application/json': {
      schema: { type: 'object', properties: { errors: { type: 'array', items: REF('Error') } } },
    },
  },
});

export const RESPONSES: Json = {
  UnauthorizedError: errorResponse('Unauthorized: the credentials are invalid or expired.'),
  ForbiddenError: errorResponse('Forbidden: the caller may not do this, or it does not exist.'),
};

export const SECURITY_SCHEMES: Json = {
  Auth: { type: 'apiKey', in: 'header', name: 'Authorization' },
  KeyAuth: { type: 'apiKey', in: 'query', name: 'access_token' },
};

export const OAS_BASE_SCHEMAS = BASE_SCHEMAS;

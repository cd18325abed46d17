import { printSchema } from 'graphql';
import { GraphqlSchemas } from '../src/modules/graphql/graphql-schemas.service';
import { localDate } from '../src/modules/graphql/graphql-specs.service';
import { ItemsContextFactory } from '../src/modules/items/items-context.factory';
import { AuthService } from '../src/modules/auth/auth.service';
import { collection, rows, userWith, type PermissionSpec, type TestUser } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';

/**
 * Issue 13: `update_users_me` on /graphql/system for non-admin users (Directus's UsersService: the caller updates its
 * own record within its update permission on directus_users, then reads it back with the selection), and
 * `GET /server/specs/graphql[/:scope]` (the caller's SDL, as Directus's server controller sends it). Whole bodies.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await collection(t, 'notes', [
    { field: 'title', type: 'string' },
    { field: 'secret', type: 'string' },
  ]);
});
afterAll(() => t.close());

async function system(query: string, auth: { Authorization: string }, variables?: Record<string, unknown>) {
  const res = await t.http.post('/graphql/system').set(auth).send({ query, variables });
  return { status: res.status, body: res.body as unknown };
}

const validation = (message: string, line: number, column: number) => ({
  status: 400,
  body: {
    errors: [
      {
        message: 'GraphQL validation error.',
        extensions: { code: 'GRAPHQL_VALIDATION', errors: [{ message, locations: [{ line, column }] }] },
      },
    ],
  },
});

/** A GET whose body is kept as text whatever its type. */
async function getText(path: string, auth?: { Authorization: string }) {
  const req = t.http.get(path);
  if (auth) void req.set(auth);
  return req.buffer(true).parse((r, done) => {
    let text = '';
    r.setEncoding('utf8');
    r.on('data', (c: string) => (text += c));
    r.on('end', () => done(null, text));
  });
}

const dbUser = async (id: string) =>
  (await rows(t, 'SELECT first_name, last_name, title FROM directus_users WHERE id = $1', [id]))[0];

describe('update_users_me (non-admin)', () => {
  /** A user whose policy lets it read its own name fields and update first_name and last_name of its own record. */
  const SELF: PermissionSpec[] = [
    {
      collection: 'directus_users',
      action: 'read',
      fields: ['id', 'first_name', 'last_name', 'title'],
      permissions: { id: { _eq: '$CURRENT_USER' } },
    },
    {
      collection: 'directus_users',
      action: 'update',
      fields: ['first_name', 'last_name'],
      permissions: { id: { _eq: '$CURRENT_USER' } },
    },
  ];

  it('updates the allowed fields of the caller and reads them back with the selection', async () => {
    const u = await userWith(t, SELF);
    expect(
      await system(
        'mutation ($d: update_directus_users_input!) { update_users_me(data: $d) { id first_name last_name title } }',
        u.auth,
        { d: { first_name: 'Ada', last_name: 'Lovelace' } },
      ),
    ).toEqual({
      status: 200,
      body: { data: { update_users_me: { id: u.id, first_name: 'Ada', last_name: 'Lovelace', title: null } } },
    });
    expect(await dbUser(u.id)).toEqual({ first_name: 'Ada', last_name: 'Lovelace', title: null });
    // users_me reads the same record.
    expect(await system('{ users_me { first_name } }', u.auth)).toEqual({
      status: 200,
      body: { data: { users_me: { first_name: 'Ada' } } },
    });
  });

  it('a field outside the update permission is not in the input type: a validation error, nothing written', async () => {
    const u = await userWith(t, SELF);
    expect(await system('mutation { update_users_me(data: {title: "Boss"}) { id } }', u.auth)).toEqual(
      validation('Field "title" is not defined by type "update_directus_users_input".', 1, 35),
    );
    expect(await dbUser(u.id)).toEqual({ first_name: null, last_name: null, title: null });
  });

  it('without a read permission on directus_users the mutation answers true', async () => {
    const u = await userWith(t, [SELF[1]!]);
    expect(await system('mutation { update_users_me(data: {first_name: "Grace"}) }', u.auth)).toEqual({
      status: 200,
      body: { data: { update_users_me: true } },
    });
    expect(await dbUser(u.id)).toEqual({ first_name: 'Grace', last_name: null, title: null });
  });

  it('without an update permission on directus_users there is no update_users_me', async () => {
    const u = await userWith(t, [SELF[0]!]);
    expect(await system('mutation { update_users_me(data: {first_name: "X"}) { id } }', u.auth)).toEqual(
      validation('Cannot query field "update_users_me" on type "Mutation".', 1, 12),
    );
  });

  it("the update permission's item filter applies: a policy for other users only is FORBIDDEN for oneself", async () => {
    const FIELDS_FORBIDDEN =
      'You don\'t have permissions to perform "update" for the field(s) "first_name" in collection "directus_users" or it does not exist.';
    const u = await userWith(t, [SELF[0]!, { ...SELF[1]!, permissions: { id: { _neq: '$CURRENT_USER' } } }]);
    expect(await system('mutation { update_users_me(data: {first_name: "Y"}) { id } }', u.auth)).toEqual({
      status: 200,
      body: {
        data: { update_users_me: null },
        errors: [
          {
            message: FIELDS_FORBIDDEN,
            locations: [{ line: 1, column: 12 }],
            path: ['update_users_me'],
            extensions: { code: 'FORBIDDEN', reason: FIELDS_FORBIDDEN },
          },
        ],
      },
    });
    expect(await dbUser(u.id)).toEqual({ first_name: null, last_name: null, title: null });
  });
});

describe('GET /server/specs/graphql', () => {
  let reader: TestUser;
  beforeAll(async () => {
    reader = await userWith(t, [{ collection: 'notes', action: 'read', fields: ['id', 'title'] }]);
  });

  /** The SDL GraphqlSchemas serves the caller at /graphql (`items`) or /graphql/system (`system`). */
  async function sdlOf(token: string, scope: 'items' | 'system'): Promise<string> {
    const accountability = await t.app.get(AuthService).accountabilityFor(token, {
      ip: null,
      userAgent: null,
      origin: null,
    });
    const ctx = t.app.get(ItemsContextFactory).create(accountability, { transport: 'rest' });
    return printSchema(await t.app.get(GraphqlSchemas).schemaFor(ctx, scope));
  }

  function file(res: { status: number; headers: Record<string, string>; text: string }) {
    return {
      status: res.status,
      type: res.headers['content-type'],
      disposition: res.headers['content-disposition'],
      text: res.text,
    };
  }
  const disposition = () => `attachment; filename="Tessera_${localDate(new Date())}.graphql"`;

  it("a role's items SDL: only what it may read, as an attachment", async () => {
    const res = await getText('/server/specs/graphql', reader.auth);
    const sdl = await sdlOf(reader.token, 'items');
    expect(file({ ...res, text: res.body as string })).toEqual({
      status: 200,
      type: 'application/octet-stream; charset=utf-8',
      disposition: disposition(),
      text: sdl,
    });
    // The role sees notes with id and title, not secret, and no mutations.
    expect(sdl).toContain('type notes {\n  id: ID!\n  title: String\n}');
    expect(sdl).not.toContain('secret');
    expect(sdl).not.toContain('type Mutation');
  });

  it('items is the default scope; system is the /graphql/system SDL; the admin sees everything', async () => {
    const get = async (path: string) => {
      const res = await getText(path, t.admin);
      return file({ ...res, text: res.body as string });
    };
    const token = t.admin.Authorization.slice('Bearer '.length);
    const items = await sdlOf(token, 'items');
    const sys = await sdlOf(token, 'system');
    const ok = (text: string) => ({
      status: 200,
      type: 'application/octet-stream; charset=utf-8',
      disposition: disposition(),
      text,
    });
    expect(await get('/server/specs/graphql')).toEqual(ok(items));
    expect(await get('/server/specs/graphql/items')).toEqual(ok(items));
    expect(await get('/server/specs/graphql/system')).toEqual(ok(sys));
    expect(items).toContain('type notes {\n  id: ID!\n  title: String\n  secret: String\n}');
    expect(items).toContain('create_notes_item(data: create_notes_input!): notes');
    expect(sys).toContain('update_users_me(data: update_directus_users_input): directus_users');
    expect(sys).not.toContain('type notes');
  });

  it('an unknown scope is 404 ROUTE_NOT_FOUND', async () => {
    const res = await t.http.get('/server/specs/graphql/other').set(t.admin);
    expect({ status: res.status, body: res.body as unknown }).toEqual({
      status: 404,
      body: {
        errors: [
          {
            message: "Route /server/specs/graphql/other doesn't exist.",
            extensions: { code: 'ROUTE_NOT_FOUND', path: '/server/specs/graphql/other' },
          },
        ],
      },
    });
  });

  it('the Public policies without any permission: Query has only _empty', async () => {
    const res = await getText('/server/specs/graphql');
    expect(file({ ...res, text: res.body as string })).toEqual({
      status: 200,
      type: 'application/octet-stream; charset=utf-8',
      disposition: disposition(),
      text: 'type Query {\n  """There\'s no data to query."""\n  _empty: Void\n}\n\n"""Represents NULL values"""\nscalar Void',
    });
  });
});

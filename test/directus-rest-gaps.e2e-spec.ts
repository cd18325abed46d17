import { attach, policy, role, user, type PermissionSpec, type TestUser } from './permissions.helpers';
import { OAS_BASE_SCHEMAS, PARAMETERS, RESPONSES, SECURITY_SCHEMES } from '../src/modules/server/oas';
import { createTestApp, type TestApp } from './support/app';

/**
 * The REST answers a Directus client meets first (issue 16, part 2; spec 5, 8, 15), each checked with whole bodies:
 * field `schema` keys, the schema listings with system collections, /server/info and /server/specs/oas, json() and
 * `_json`, /utils/cache/clear, /permissions/me and QUERYSTRING_ARRAY_LIMIT.
 */
describe('Directus REST gaps', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  // ---------------------------------------------------------------------------------------------------------------
  // helpers

  type Row = Record<string, unknown>;

  const FORBIDDEN = {
    errors: [{ message: "You don't have permission to access this.", extensions: { code: 'FORBIDDEN' } }],
  };

  function forbidden(reason: string) {
    return { errors: [{ message: reason, extensions: { code: 'FORBIDDEN', reason } }] };
  }

  const get = (url: string) => t.http.get(url).set(t.admin);

  /** The API's field `schema` object with Directus defaults for everything not given. */
  function colSchema(table: string, name: string, over: Row = {}): Row {
    return {
      name,
      table,
      data_type: 'integer',
      default_value: null,
      max_length: null,
      numeric_precision: null,
      numeric_scale: null,
      is_generated: false,
      generation_expression: null,
      is_nullable: true,
      is_unique: false,
      is_indexed: false,
      is_primary_key: false,
      has_auto_increment: false,
      foreign_key_schema: null,
      foreign_key_table: null,
      foreign_key_column: null,
      comment: null,
      ...over,
    };
  }

  /** The API's field `meta` object (spec 15 key set) with defaults for everything not given. */
  function fieldMeta(collection: string, field: string, over: Row = {}): Row {
    return {
      id: expect.any(Number),
      collection,
      field,
      special: null,
      interface: null,
      options: null,
      display: null,
      display_options: null,
      readonly: false,
      hidden: false,
      sort: null,
      width: 'full',
      translations: null,
      note: null,
      conditions: null,
      required: false,
      group: null,
      validation: null,
      validation_message: null,
      searchable: true,
      ...over,
    };
  }

  // ---------------------------------------------------------------------------------------------------------------

  describe('field schema keys', () => {
    it('a uuid primary key as the Directus app sends it (schema.length) is created, and listed as such', async () => {
      const res = await t.http
        .post('/collections')
        .set(t.admin)
        .send({
          collection: 'gap_uuid',
          meta: { singleton: false },
          schema: {},
          fields: [
            {
              field: 'id',
              type: 'uuid',
              meta: { hidden: true, readonly: true, interface: 'input', special: ['uuid'] },
              schema: { is_primary_key: true, length: 36, has_auto_increment: false },
            },
          ],
        });
      expect(res.status).toBe(200);
      expect((await get('/fields/gap_uuid').expect(200)).body).toEqual({
        data: [
          {
            collection: 'gap_uuid',
            field: 'id',
            type: 'uuid',
            schema: colSchema('gap_uuid', 'id', {
              data_type: 'uuid',
              is_nullable: false,
              is_unique: true,
              is_indexed: true,
              is_primary_key: true,
            }),
            meta: fieldMeta('gap_uuid', 'id', {
              special: ['uuid'],
              interface: 'input',
              hidden: true,
              readonly: true,
              sort: 1,
            }),
          },
        ],
      });
    });

    it('a string primary key with schema.length, unknown keys and string sizes are accepted', async () => {
      await t.http
        .post('/collections')
        .set(t.admin)
        .send({
          collection: 'gap_code',
          schema: { name: 'gap_code', comment: null, whatever: true },
          fields: [
            {
              field: 'code',
              type: 'string',
              meta: { hidden: false, readonly: false, interface: 'input', special: null },
              schema: { is_primary_key: true, length: 255, has_auto_increment: false, unknown_key: { a: 1 } },
            },
          ],
        })
        .expect(200);
      const created = await t.http
        .post('/fields/gap_code')
        .set(t.admin)
        .send({
          field: 'label',
          type: 'string',
          schema: { max_length: '40', is_nullable: 'false', default_value: 'x', foo: 1 },
        })
        .expect(200);
      expect(created.body).toEqual({
        data: {
          collection: 'gap_code',
          field: 'label',
          type: 'string',
          schema: colSchema('gap_code', 'label', {
            data_type: 'character varying',
            max_length: 40,
            is_nullable: false,
            default_value: 'x',
          }),
          meta: null,
        },
      });
      // A field read back from GET /fields (every schema key of it) goes back through PATCH unchanged.
      const patched = await t.http
        .patch('/fields/gap_code/label')
        .set(t.admin)
        .send({ ...created.body.data, schema: { ...created.body.data.schema, max_length: '60' } })
        .expect(200);
      expect(patched.body.data.schema).toEqual(
        colSchema('gap_code', 'label', {
          data_type: 'character varying',
          max_length: 60,
          is_nullable: false,
          default_value: 'x',
        }),
      );
      expect((await get('/fields/gap_code/code').expect(200)).body.data.schema).toEqual(
        colSchema('gap_code', 'code', {
          data_type: 'character varying',
          max_length: 255,
          is_nullable: false,
          is_unique: true,
          is_indexed: true,
          is_primary_key: true,
        }),
      );
    });

    it('a size that is not a number is still a 400', async () => {
      const res = await t.http
        .post('/fields/gap_code')
        .set(t.admin)
        .send({ field: 'bad', type: 'string', schema: { max_length: 'long' } })
        .expect(400);
      expect(res.body).toEqual({
        errors: [
          {
            message: 'Invalid payload. "schema.max_length" must be an integer >= 1.',
            extensions: { code: 'INVALID_PAYLOAD', reason: '"schema.max_length" must be an integer >= 1' },
          },
        ],
      });
    });
  });

  // ---------------------------------------------------------------------------------------------------------------

  describe('schema listings (own database)', () => {
    let s: TestApp;
    let reader: TestUser;
    let appReader: TestUser;

    beforeAll(async () => {
      s = await createTestApp();
      const call = async (method: 'post' | 'patch', url: string, body: unknown) => {
        const res = await s.http[method](url)
          .set(s.admin)
          .send(body as object);
        if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
      };
      await call('post', '/collections', { collection: 'lst_folder', meta: { icon: 'folder' } });
      await call('post', '/collections', {
        collection: 'lst_authors',
        schema: {},
        fields: [{ field: 'name', type: 'string' }],
      });
      await call('post', '/collections', {
        collection: 'lst_articles',
        schema: {},
        meta: { icon: 'article', group: 'lst_folder' },
        fields: [
          { field: 'title', type: 'string' },
          { field: 'author', type: 'integer' },
        ],
      });
      await call('post', '/fields/lst_authors', { field: 'articles', type: 'alias', meta: { special: ['o2m'] } });
      await call('post', '/relations', {
        collection: 'lst_articles',
        field: 'author',
        related_collection: 'lst_authors',
        meta: { one_field: 'articles' },
      });
      await call('post', '/collections', {
        collection: 'lst_notes',
        schema: {},
        fields: [{ field: 'article', type: 'integer' }],
      });
      // A foreign key made outside the API: a relation without a directus_relations row.
      await s.db.client.query(
        'ALTER TABLE "lst_notes" ADD CONSTRAINT "lst_notes_article_fk" FOREIGN KEY ("article") REFERENCES "lst_articles" ("id") ON DELETE CASCADE',
      );
      await call('patch', '/collections/lst_notes', { meta: { note: 'notes' } });

      const withPolicy = async (permissions: PermissionSpec[], over: Row = {}) => {
        const r = await role(s);
        const p = await policy(s, permissions, over);
        await attach(s, { role: r }, p.id);
        return user(s, r);
      };
      reader = await withPolicy([
        { collection: 'lst_articles', action: 'read', fields: ['id', 'title'] },
        { collection: 'lst_authors', action: 'read' },
        { collection: 'directus_fields', action: 'read' },
      ]);
      appReader = await withPolicy(
        [
          { collection: 'lst_articles', action: 'read' },
          { collection: 'lst_authors', action: 'read' },
        ],
        { app_access: true },
      );
    });
    afterAll(() => s.close());

    function collectionMeta(collection: string, over: Row = {}): Row {
      return {
        collection,
        icon: null,
        note: null,
        display_template: null,
        hidden: false,
        singleton: false,
        translations: null,
        archive_field: null,
        archive_app_filter: true,
        archive_value: null,
        unarchive_value: null,
        sort_field: null,
        accountability: 'all',
        color: null,
        item_duplication_fields: null,
        sort: null,
        group: null,
        collapse: 'open',
        preview_url: null,
        versioning: false,
        ...over,
      };
    }

    /** Directus's own meta row of a system collection. */
    function systemCollection(collection: string, over: Row = {}): Row {
      return {
        collection,
        meta: {
          collection,
          hidden: false,
          singleton: false,
          icon: null,
          note: `$t:directus_collection.${collection}`,
          translations: null,
          display_template: null,
          accountability: 'all',
          system: true,
          ...over,
        },
        schema: { name: collection, schema: 'public', comment: null },
      };
    }

    const table = (collection: string, meta: Row | null) => ({
      collection,
      meta,
      schema: { name: collection, schema: 'public', comment: null },
    });

    const ARTICLES = table('lst_articles', collectionMeta('lst_articles', { icon: 'article', group: 'lst_folder' }));
    const AUTHORS = table('lst_authors', null);
    const FOLDER = { collection: 'lst_folder', meta: collectionMeta('lst_folder', { icon: 'folder' }), schema: null };
    const NOTES = table('lst_notes', collectionMeta('lst_notes', { note: 'notes' }));

    it('GET /collections lists the system collections with Directus meta rows, tables, folders', async () => {
      const res = await s.http.get('/collections').set(s.admin).expect(200);
      expect(res.body).toEqual({
        data: [
          systemCollection('directus_access', {
            icon: 'admin_panel_settings',
            display_template: '{{ policy.name }}',
            sort_field: 'sort',
          }),
          // activity and revisions: read-only, never recorded themselves (issue 15)
          systemCollection('directus_activity', { accountability: null }),
          systemCollection('directus_permissions', { icon: 'admin_panel_settings' }),
          systemCollection('directus_policies', { icon: 'admin_panel_settings' }),
          systemCollection('directus_revisions', { accountability: null }),
          systemCollection('directus_roles', { icon: 'supervised_user_circle' }),
          systemCollection('directus_users', {
            archive_field: 'status',
            archive_value: 'archived',
            unarchive_value: 'draft',
            icon: 'people_alt',
            display_template: '{{ first_name }} {{ last_name }}',
          }),
          ARTICLES,
          AUTHORS,
          FOLDER,
          NOTES,
        ],
      });
      expect((await s.http.get('/collections/directus_users').set(s.admin).expect(200)).body).toEqual({
        data: res.body.data[6],
      });
    });

    it('GET /collections for a non-admin: what it may read plus their groups; directus_collections access needed', async () => {
      // App access adds Directus's minimal app permissions: its own user, its roles, its activity (listed too).
      const minimal = await Promise.all(
        ['directus_activity', 'directus_roles', 'directus_users'].map(
          async (c) => (await s.http.get(`/collections/${c}`).set(s.admin).expect(200)).body.data,
        ),
      );
      expect((await s.http.get('/collections').set(appReader.auth).expect(200)).body).toEqual({
        data: [...minimal, ARTICLES, AUTHORS, FOLDER],
      });
      expect((await s.http.get('/collections/lst_articles').set(appReader.auth).expect(200)).body).toEqual({
        data: ARTICLES,
      });
      expect((await s.http.get('/collections/lst_notes').set(appReader.auth).expect(403)).body).toEqual(
        forbidden('You don\'t have permission to perform "read" for collection "lst_notes" or it does not exist.'),
      );
      // Without app access or a read permission on directus_collections (spec 15: 403 naming it).
      const noMeta = forbidden(
        'You don\'t have permission to access collection "directus_collections" or it does not exist. Queried in root.',
      );
      expect((await s.http.get('/collections').set(reader.auth).expect(403)).body).toEqual(noMeta);
      expect((await s.http.get('/collections/lst_articles').set(reader.auth).expect(403)).body).toEqual(noMeta);
    });

    it('GET /fields lists system fields with Directus system meta; a non-admin sees the fields it may read', async () => {
      const system = (field: string, sort: number, over: Row = {}) => ({
        system: true,
        collection: 'directus_policies',
        field,
        special: null,
        interface: null,
        options: null,
        display: null,
        display_options: null,
        readonly: false,
        hidden: false,
        sort,
        width: 'full',
        group: null,
        translations: null,
        note: null,
        conditions: null,
        required: false,
        searchable: true,
        ...over,
      });
      const col = (name: string, over: Row) => colSchema('directus_policies', name, over);
      const field = (name: string, type: string, sort: number, schema: Row | null, meta: Row = {}) => ({
        collection: 'directus_policies',
        field: name,
        type,
        schema,
        meta: system(name, sort, meta),
      });
      const policies = await s.http.get('/fields/directus_policies').set(s.admin).expect(200);
      expect(policies.body).toEqual({
        data: [
          field(
            'id',
            'uuid',
            1,
            col('id', {
              data_type: 'uuid',
              is_nullable: false,
              is_unique: true,
              is_indexed: true,
              is_primary_key: true,
            }),
          ),
          field(
            'name',
            'string',
            2,
            col('name', { data_type: 'character varying', max_length: 100, is_nullable: false }),
          ),
          field(
            'icon',
            'string',
            3,
            col('icon', {
              data_type: 'character varying',
              max_length: 64,
              is_nullable: false,
              default_value: 'badge',
            }),
          ),
          field('description', 'text', 4, col('description', { data_type: 'text' })),
          field('ip_access', 'csv', 5, col('ip_access', { data_type: 'text' }), { special: ['cast-csv'] }),
          ...['enforce_tfa', 'admin_access', 'app_access'].map((name, i) =>
            field(
              name,
              'boolean',
              6 + i,
              col(name, { data_type: 'boolean', is_nullable: false, default_value: false }),
            ),
          ),
          field('permissions', 'alias', 9, null, { special: ['o2m'] }),
        ],
      });
      const all = await s.http.get('/fields').set(s.admin).expect(200);
      expect(all.body.data.filter((f: Row) => f.collection === 'directus_policies')).toEqual(policies.body.data);

      // The reader may read lst_articles' id and title, and all of lst_authors.
      const articles = (await s.http.get('/fields/lst_articles').set(s.admin).expect(200)).body.data as Row[];
      const authors = (await s.http.get('/fields/lst_authors').set(s.admin).expect(200)).body.data as Row[];
      expect((await s.http.get('/fields').set(reader.auth).expect(200)).body).toEqual({
        data: [...articles.filter((f) => f.field !== 'author'), ...authors],
      });
      expect((await s.http.get('/fields/lst_articles').set(reader.auth).expect(200)).body).toEqual({
        data: articles.filter((f) => f.field !== 'author'),
      });
      expect((await s.http.get('/fields/lst_articles/title').set(reader.auth).expect(200)).body).toEqual({
        data: articles.find((f) => f.field === 'title'),
      });
      expect((await s.http.get('/fields/lst_articles/author').set(reader.auth).expect(403)).body).toEqual(FORBIDDEN);
      expect((await s.http.get('/fields/lst_notes').set(reader.auth).expect(403)).body).toEqual(FORBIDDEN);
      expect((await s.http.get('/fields/lst_notes/id').set(reader.auth).expect(403)).body).toEqual(
        forbidden('You don\'t have permission to perform "read" for collection "lst_notes" or it does not exist.'),
      );
    });

    it('GET /relations stitches foreign keys and rows: system relations, and keys without a row (meta null)', async () => {
      /** The foreign key of table.column as the catalogue has it. */
      const fk = async (tableName: string, column: string) => {
        const [row] = (
          await s.db.client.query(
            `SELECT con.conname, con.confupdtype, con.confdeltype, rc.relname AS target
             FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class rc ON rc.oid = con.confrelid
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
             WHERE con.contype = 'f' AND c.relname = $1 AND a.attname = $2`,
            [tableName, column],
          )
        ).rows;
        const actions: Row = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };
        return {
          table: tableName,
          column,
          foreign_key_schema: 'public',
          foreign_key_table: row.target,
          foreign_key_column: 'id',
          constraint_name: row.conname,
          on_update: actions[row.confupdtype],
          on_delete: actions[row.confdeltype],
        };
      };
      const systemRow = (many: string, field: string, one: string, over: Row = {}) => ({
        many_collection: many,
        many_field: field,
        one_collection: one,
        one_field: null,
        one_allowed_collections: null,
        one_collection_field: null,
        one_deselect_action: 'nullify',
        junction_field: null,
        sort_field: null,
        system: true,
        ...over,
      });
      const rel = async (many: string, field: string, one: string, meta: Row | null) => ({
        collection: many,
        field,
        related_collection: one,
        schema: await fk(many, field),
        meta,
      });
      const articlesAuthor = await rel('lst_articles', 'author', 'lst_authors', {
        id: expect.any(Number),
        many_collection: 'lst_articles',
        many_field: 'author',
        one_collection: 'lst_authors',
        one_field: 'articles',
        one_collection_field: null,
        one_allowed_collections: null,
        junction_field: null,
        sort_field: null,
        one_deselect_action: 'nullify',
      });
      const policyJunction = { one_deselect_action: 'delete', junction_field: 'policy', sort_field: 'sort' };
      const res = await s.http.get('/relations').set(s.admin).expect(200);
      const all = res.body.data as Row[];
      expect(res.body).toEqual({
        data: [
          await rel(
            'directus_access',
            'role',
            'directus_roles',
            systemRow('directus_access', 'role', 'directus_roles', { one_field: 'policies', ...policyJunction }),
          ),
          await rel(
            'directus_access',
            'user',
            'directus_users',
            systemRow('directus_access', 'user', 'directus_users', { one_field: 'policies', ...policyJunction }),
          ),
          await rel(
            'directus_access',
            'policy',
            'directus_policies',
            systemRow('directus_access', 'policy', 'directus_policies', {
              one_field: 'roles',
              one_deselect_action: 'delete',
              junction_field: 'role',
            }),
          ),
          await rel(
            'directus_permissions',
            'policy',
            'directus_policies',
            systemRow('directus_permissions', 'policy', 'directus_policies', {
              one_field: 'permissions',
              one_deselect_action: 'delete',
            }),
          ),
          await rel(
            'directus_revisions',
            'activity',
            'directus_activity',
            systemRow('directus_revisions', 'activity', 'directus_activity', { one_field: 'revisions' }),
          ),
          await rel(
            'directus_revisions',
            'parent',
            'directus_revisions',
            systemRow('directus_revisions', 'parent', 'directus_revisions'),
          ),
          await rel(
            'directus_roles',
            'parent',
            'directus_roles',
            systemRow('directus_roles', 'parent', 'directus_roles', { one_field: 'children' }),
          ),
          await rel(
            'directus_users',
            'role',
            'directus_roles',
            systemRow('directus_users', 'role', 'directus_roles', { one_field: 'users' }),
          ),
          articlesAuthor,
          await rel('lst_notes', 'article', 'lst_articles', null),
          // directus_activity.user has no foreign key (Directus's has none either): a relation without schema
          {
            collection: 'directus_activity',
            field: 'user',
            related_collection: 'directus_users',
            schema: null,
            meta: systemRow('directus_activity', 'user', 'directus_users'),
          },
          {
            collection: 'directus_access',
            field: 'policy',
            related_collection: 'directus_policies',
            schema: null,
            meta: systemRow('directus_access', 'policy', 'directus_policies', {
              one_field: 'users',
              one_deselect_action: 'delete',
              junction_field: 'user',
            }),
          },
        ],
      });
      expect((await s.http.get('/relations/lst_notes').set(s.admin).expect(200)).body).toEqual({
        data: [await rel('lst_notes', 'article', 'lst_articles', null)],
      });
      expect((await s.http.get('/relations/lst_notes/article').set(s.admin).expect(200)).body).toEqual({
        data: await rel('lst_notes', 'article', 'lst_articles', null),
      });

      // A non-admin: the relations whose collections and fields it may read (the O2M alias on the other side too);
      // app access reads directus_users, directus_roles and directus_activity (Directus's minimal app permissions).
      const readable = ['lst_articles', 'lst_authors', 'directus_users', 'directus_roles', 'directus_activity'];
      expect((await s.http.get('/relations').set(appReader.auth).expect(200)).body).toEqual({
        data: all.filter(
          (r) => readable.includes(String(r.collection)) && readable.includes(String(r.related_collection)),
        ),
      });
      expect(
        all
          .filter((r) => readable.includes(String(r.collection)) && readable.includes(String(r.related_collection)))
          .map((r) => `${r.collection}.${r.field}`),
      ).toEqual(['directus_roles.parent', 'directus_users.role', 'lst_articles.author', 'directus_activity.user']);
      expect((await s.http.get('/relations/lst_articles/author').set(appReader.auth).expect(200)).body).toEqual({
        data: articlesAuthor,
      });
      expect((await s.http.get('/relations/lst_notes/article').set(appReader.auth).expect(403)).body).toEqual(
        FORBIDDEN,
      );
      expect((await s.http.get('/relations').set(reader.auth).expect(403)).body).toEqual(
        forbidden(
          'You don\'t have permission to perform "read" for collection "directus_relations" or it does not exist.',
        ),
      );
    });

    it('system collections and fields are never dropped', async () => {
      expect((await s.http.delete('/collections/directus_users').set(s.admin).expect(403)).body).toEqual(FORBIDDEN);
      expect((await s.http.delete('/fields/directus_users/email').set(s.admin).expect(403)).body).toEqual(FORBIDDEN);
      expect((await s.http.get('/fields/directus_users/email').set(s.admin).expect(200)).body.data.field).toBe('email');
    });
  });

  // ---------------------------------------------------------------------------------------------------------------

  describe('/server/info and /server/specs/oas', () => {
    let reader: TestUser;

    beforeAll(async () => {
      const call = async (url: string, body: unknown) => {
        const res = await t.http
          .post(url)
          .set(t.admin)
          .send(body as object);
        if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
      };
      await call('/collections', {
        collection: 'oas_people',
        schema: {},
        fields: [{ field: 'name', type: 'string' }],
      });
      await call('/collections', {
        collection: 'oas_notes',
        schema: {},
        meta: { note: 'Short notes' },
        fields: [
          { field: 'title', type: 'string', schema: { is_nullable: false } },
          { field: 'status', type: 'string', schema: { is_nullable: false, default_value: 'draft' } },
          { field: 'secret', type: 'text' },
          { field: 'owner', type: 'integer', meta: { note: 'Who wrote it' } },
        ],
      });
      await call('/relations', { collection: 'oas_notes', field: 'owner', related_collection: 'oas_people' });
      const r = await role(t);
      const p = await policy(t, [
        { collection: 'oas_notes', action: 'read', fields: ['id', 'title', 'status', 'owner'] },
        { collection: 'oas_notes', action: 'create', fields: ['title'] },
      ]);
      await attach(t, { role: r }, p.id);
      reader = await user(t, r);
    });

    const PROJECT = {
      project_name: 'Tessera',
      project_descriptor: null,
      project_logo: null,
      project_color: '#6644FF',
      default_appearance: 'auto',
      default_theme_light: null,
      default_theme_dark: null,
      theme_light_overrides: null,
      theme_dark_overrides: null,
      default_language: 'en-US',
      public_foreground: null,
      public_background: null,
      public_favicon: null,
      public_note: null,
      custom_css: null,
      public_registration: false,
      public_registration_verify_email: true,
    };
    const LICENSE = {
      source: null,
      entitlements: { production_enabled: true, ai_translations_enabled: false, display_powered_by: 'DIRECTUS' },
    };

    it('GET /server/info: the public part for everyone, the server part for signed-in users', async () => {
      expect((await t.http.get('/server/info').expect(200)).body).toEqual({
        data: { project: PROJECT, license: LICENSE },
      });
      const signedIn = {
        project: PROJECT,
        project_owner_enabled: false,
        mcp_enabled: false,
        ai_enabled: false,
        mcp_oauth_enabled: false,
        mcp_oauth_dcr_enabled: false,
        mcp_oauth_cimd_enabled: false,
        autoSave: { revisionInterval: 300 },
        files: { mimeTypeAllowList: ['*/*'] },
        rateLimit: false,
        rateLimitGlobal: false,
        extensions: { limit: null },
        queryLimit: { default: 100, max: -1 },
        websocket: false,
        version: '12.4.1',
        license: LICENSE,
      };
      expect((await t.http.get('/server/info').set(t.admin).expect(200)).body).toEqual({ data: signedIn });
      expect((await t.http.get('/server/info').set(reader.auth).expect(200)).body).toEqual({ data: signedIn });
    });

    it('GET /server/info reads the project from directus_settings when the database has it', async () => {
      const db = await createTestApp({ QUERY_LIMIT_MAX: '500', WEBSOCKETS_ENABLED: 'true' });
      try {
        await db.db.client.query(`CREATE TABLE "directus_settings" (
          "id" serial PRIMARY KEY, "project_name" varchar(100) NOT NULL DEFAULT 'Directus',
          "project_color" varchar(255) NOT NULL DEFAULT '#6644FF', "public_note" text,
          "theme_light_overrides" json, "public_background" uuid)`);
        await db.db.client.query(
          `INSERT INTO "directus_settings" ("project_name", "public_note", "theme_light_overrides") VALUES ('Acme', 'Hi', '{"a":1}')`,
        );
        const res = await db.http.get('/server/info').set(db.admin).expect(200);
        expect(res.body.data.project).toEqual({
          ...PROJECT,
          project_name: 'Acme',
          public_note: 'Hi',
          theme_light_overrides: { a: 1 },
        });
        expect(res.body.data.queryLimit).toEqual({ default: 100, max: 500 });
        expect(res.body.data.websocket).toEqual({
          rest: { authentication: 'handshake', path: '/websocket' },
          graphql: false,
          heartbeat: 30,
          collaborativeEditing: false,
          logs: false,
        });
      } finally {
        await db.close();
      }
    });

    it("GET /server/specs/oas: the OpenAPI document of the caller's role, exactly what it may read and do", async () => {
      const ok = { description: 'Successful request' };
      const errors = {
        '401': { $ref: '#/components/responses/UnauthorizedError' },
        '403': { $ref: '#/components/responses/ForbiddenError' },
      };
      const route = (summary: string, tag: string, operationId: string) => ({
        summary,
        tags: [tag],
        operationId,
        responses: { '200': ok, ...errors },
      });
      const param = (name: string) => ({ $ref: `#/components/parameters/${name}` });
      const list = ['Fields', 'Filter', 'Search', 'Sort', 'Limit', 'Offset', 'Page', 'Meta'].map(param);
      const note = { $ref: '#/components/schemas/ItemsOasNotes' };
      const notes = { type: 'array', items: note };
      const data = (schema: unknown) => ({
        description: 'Successful request',
        content: { 'application/json': { schema: { type: 'object', properties: { data: schema } } } },
      });
      const id = {
        name: 'id',
        in: 'path',
        required: true,
        description: 'The primary key of the item.',
        schema: { type: 'integer' },
      };
      const res = await t.http.get('/server/specs/oas').set(reader.auth).expect(200);
      expect(res.body).toEqual({
        openapi: '3.0.1',
        info: {
          title: 'Dynamic API Specification',
          description: "The API of this project, generated for the caller's role from the current schema.",
          version: expect.stringMatching(/^[0-9a-f]{40}$/),
        },
        servers: [{ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), description: 'This Tessera instance.' }],
        paths: {
          '/auth/login': { post: route('Log in', 'Authentication', 'login') },
          '/auth/refresh': { post: route('Refresh the access token', 'Authentication', 'refresh') },
          '/auth/logout': { post: route('Log out', 'Authentication', 'logout') },
          '/server/ping': { get: route('Ping the server', 'Server', 'ping') },
          '/server/health': { get: route('Health of the server', 'Server', 'health') },
          '/server/info': { get: route('Information about the project and server', 'Server', 'serverInfo') },
          '/server/specs/oas': {
            get: route("This document: the OpenAPI specification for the caller's role", 'Server', 'oas'),
          },
          '/users/me': { get: route('The current user', 'Users', 'getMe') },
          '/permissions/me': {
            get: route("The current user's access per collection and action", 'Permissions', 'getMyPermissions'),
          },
          '/permissions/me/{collection}/{id}': {
            get: route(
              "The current user's update, delete and share access to one item",
              'Permissions',
              'getMyItemPermissions',
            ),
          },
          // read and create only: the role has no update or delete permission
          '/items/oas_notes': {
            get: {
              summary: 'List the oas_notes items',
              parameters: [...list, ...['Aggregate', 'GroupBy', 'Deep', 'Alias', 'Backlink'].map(param)],
              responses: {
                '200': {
                  description: 'Successful request',
                  content: {
                    'application/json': {
                      schema: {
                        type: 'object',
                        properties: { data: notes, meta: { $ref: '#/components/schemas/x-metadata' } },
                      },
                    },
                  },
                },
                ...errors,
              },
              tags: ['ItemsOasNotes'],
              operationId: 'readItemsOasNotes',
            },
            post: {
              summary: 'Create oas_notes items',
              parameters: [param('Fields'), param('Meta')],
              requestBody: { content: { 'application/json': { schema: { oneOf: [notes, note] } } } },
              responses: { '200': data(notes), ...errors },
              tags: ['ItemsOasNotes'],
              operationId: 'createItemsOasNotes',
            },
          },
          '/items/oas_notes/{id}': {
            get: {
              summary: 'Read one of the oas_notes items',
              parameters: [id, param('Fields')],
              responses: { '200': data(note), ...errors },
              tags: ['ItemsOasNotes'],
              operationId: 'readSingleItemsOasNotes',
            },
          },
        },
        tags: [
          {
            name: 'Authentication',
            description: 'Log in and out, and refresh access tokens. Without a token a request is public.',
          },
          {
            name: 'Server',
            description: 'The server: ping, health, project information and this specification.',
          },
          { name: 'Users', description: 'The users of the project.' },
          { name: 'Permissions', description: 'What each policy allows on each collection.' },
          { name: 'ItemsOasNotes', description: 'Short notes', 'x-collection': 'oas_notes' },
        ],
        components: {
          // `secret` is not readable; `owner` points into a collection the role can't read: a plain key
          schemas: {
            ...OAS_BASE_SCHEMAS,
            ItemsOasNotes: {
              type: 'object',
              properties: {
                id: { nullable: false, type: 'integer' },
                title: { nullable: false, type: 'string' },
                status: { nullable: false, type: 'string' },
                owner: { nullable: true, description: 'Who wrote it', type: 'integer' },
              },
              required: ['title'],
              'x-collection': 'oas_notes',
            },
          },
          parameters: PARAMETERS,
          responses: RESPONSES,
          securitySchemes: SECURITY_SCHEMES,
        },
        security: [{ Auth: [] }, { KeyAuth: [] }],
      });

      // An admin: every collection, every method, relations as key-or-object.
      const full = (await t.http.get('/server/specs/oas').set(t.admin).expect(200)).body;
      expect(Object.keys(full.paths['/items/oas_notes'])).toEqual(['get', 'post', 'patch', 'delete']);
      expect(Object.keys(full.paths['/items/oas_notes/{id}'])).toEqual(['get', 'patch', 'delete']);
      expect(Object.keys(full.paths['/users'])).toEqual(['get', 'post', 'patch', 'delete']);
      expect(full.paths['/utils/cache/clear']).toEqual({
        post: route('Clear the schema and permission caches', 'Utilities', 'clearCache'),
      });
      expect(full.components.schemas.ItemsOasNotes).toEqual({
        type: 'object',
        properties: {
          id: { nullable: false, type: 'integer' },
          title: { nullable: false, type: 'string' },
          status: { nullable: false, type: 'string' },
          secret: { nullable: true, type: 'string' },
          owner: {
            nullable: true,
            description: 'Who wrote it',
            oneOf: [{ type: 'integer' }, { $ref: '#/components/schemas/ItemsOasPeople' }],
          },
        },
        required: ['title'],
        'x-collection': 'oas_notes',
      });
      // Public has no permission at all: only the public routes.
      const anonymous = (await t.http.get('/server/specs/oas').expect(200)).body;
      expect(Object.keys(anonymous.paths)).toEqual([
        '/auth/login',
        '/auth/refresh',
        '/auth/logout',
        '/server/ping',
        '/server/health',
        '/server/info',
        '/server/specs/oas',
      ]);
      expect(anonymous.components.schemas).toEqual(OAS_BASE_SCHEMAS);
    });
  });
});

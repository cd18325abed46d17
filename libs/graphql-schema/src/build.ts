/**
 * buildGraphqlSchema: a schema snapshot and a role's permissions → the graphql-js schema Directus would serve that
 * role (spec 9, with spec 15's corrections). Types are created lazily, so only what the role can reach is built.
 */
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  GraphQLUnionType,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLFieldConfigMap,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLScalarType,
} from 'graphql';
import { restrictSnapshot } from '@lib/permissions';
import type { CollectionSnapshot, FieldSnapshot, RelationInfo, SchemaSnapshot } from '@lib/schema';
import { lean } from './lean';
import {
  READ_ONLY,
  STATIC_TYPE_NAMES,
  SYSTEM_DENY_LIST,
  generatedTypeNames,
  inScope,
  isGraphqlName,
  rootName,
  unionName,
} from './names';
import {
  functionFilterType,
  functionGroupOf,
  functionObjectType,
  functionsOf,
  operatorTypeOf,
  type FunctionGroup,
} from './operators';
import {
  functionsResolver,
  groupResolver,
  jsonFunctionsResolver,
  m2aItemResolver,
  readField,
  unionTypeName,
} from './resolvers';
import { GraphQLBigInt, GraphQLDate, GraphQLHash, GraphQLJSON, GraphQLVoid } from './scalars';
import { systemMutationFields, systemQueryFields } from './system';
import type {
  ActionPermission,
  GraphqlAction,
  GraphqlOperation,
  GraphqlSchemaOptions,
  ItemsOperation,
  ItemsOperationKind,
  SchemaExtension,
  SchemaMetaCollection,
} from './types';

/** Specials whose value the server generates: such fields are never required (Directus's GENERATE_SPECIAL). */
const GENERATED_SPECIALS = [
  'uuid',
  'date-created',
  'date-updated',
  'role-created',
  'role-updated',
  'user-created',
  'user-updated',
];

const STRING_LIST = new GraphQLList(GraphQLString);
const NUMERIC_SCALARS: ReadonlySet<unknown> = new Set([GraphQLBigInt, GraphQLInt, GraphQLFloat]);
const ID_LIST = new GraphQLList(GraphQLID);

/** `delete_<c>_items` / `delete_<c>_item` results (spec 9). Shared by every schema. */
export const DeleteMany = new GraphQLObjectType({
  name: 'delete_many',
  fields: { ids: { type: new GraphQLNonNull(ID_LIST) } },
});
export const DeleteOne = new GraphQLObjectType({
  name: 'delete_one',
  fields: { id: { type: new GraphQLNonNull(GraphQLID) } },
});
export const EventEnum = new GraphQLEnumType({
  name: 'EventEnum',
  values: { create: { value: 'create' }, update: { value: 'update' }, delete: { value: 'delete' } },
});

/** The scalar a column maps to (Directus's getGraphQLType, spec 9); the primary key is handled by the caller. */
export function scalarOf(field: FieldSnapshot): GraphQLScalarType | GraphQLList<GraphQLScalarType> {
  if (field.special.includes('conceal')) return GraphQLHash;
  switch (field.type) {
    case 'boolean':
      return GraphQLBoolean;
    case 'bigInteger':
      return GraphQLBigInt;
    case 'integer':
      return GraphQLInt;
    case 'decimal':
    case 'float':
      return GraphQLFloat;
    case 'csv':
      return STRING_LIST;
    case 'json':
      return GraphQLJSON;
    case 'time':
    case 'timestamp':
    case 'dateTime':
    case 'date':
      return GraphQLDate;
    case 'hash':
      return GraphQLHash;
    case 'uuid':
      return GraphQLID;
    default:
      return GraphQLString;
  }
}

function hasDefault(field: FieldSnapshot): boolean {
  return (
    (field.defaultValue !== null && field.defaultValue !== undefined) ||
    field.autoIncrement ||
    GENERATED_SPECIALS.some((special) => field.special.includes(special))
  );
}

const ADMIN: ActionPermission = { fields: '*' };

/**
 * Builds the schema one role sees at `/graphql` (scope `items`) or `/graphql/system` (scope `system`):
 * - an object type per readable collection (relational fields as objects, lists and M2A unions, with
 *   `filter/sort/limit/offset/page/search` arguments; `<field>_func` function fields);
 * - Query: `<c>`, `<c>_by_id`, `<c>_aggregated`, or `<singleton>`; `_empty: Void` when nothing is readable;
 * - Mutation: `create_<c>_item(s)`, `update_<c>_item(s)`, `update_<c>_batch`, `delete_<c>_item(s)`,
 *   `update_<singleton>`, each only when the role may perform it;
 * - Subscription (items scope): `<c>_mutated(event)`;
 * - system scope: `users`, `users_by_id`, `users_me`, `roles`, ..., `server_info`, `auth_login`, ...
 * Every root field carries its {@link GraphqlOperation} in `extensions.tessera` and calls `options.resolve` (or
 * `options.subscribe`) with it; fields below the root only read what the root resolver returned.
 */
export function buildGraphqlSchema<TContext = unknown>(
  snapshot: SchemaSnapshot,
  options: GraphqlSchemaOptions<TContext>,
): GraphQLSchema {
  return new SchemaBuilder(snapshot, options).build();
}

class SchemaBuilder<TContext> {
  private readonly read: SchemaSnapshot;
  private readonly eligible = new Set<string>();
  private readonly objectTypes = new Map<string, GraphQLObjectType>();
  private readonly filterTypes = new Map<string, GraphQLInputObjectType>();
  private readonly quantifierTypes = new Map<string, GraphQLInputObjectType>();
  private readonly aggregatedTypes = new Map<string, GraphQLObjectType>();
  private readonly inputTypes = new Map<string, GraphQLInputObjectType>();
  private readonly readFieldCache = new Map<string, readonly FieldSnapshot[]>();
  private readonly relationArgsCache = new Map<string, GraphQLFieldConfigArgumentMap>();
  private readonly writeFieldCache = new Map<string, FieldSnapshot[]>();
  private readonly filterFieldCache = new Map<string, GraphQLInputFieldConfigMap>();

  constructor(
    private readonly snapshot: SchemaSnapshot,
    private readonly options: GraphqlSchemaOptions<TContext>,
  ) {
    const permissions = options.permissions;
    this.read = permissions ? restrictSnapshot(snapshot, (c) => permissions(c, 'read')?.fields ?? null) : snapshot;
    this.selectEligible();
  }

  build(): GraphQLSchema {
    const { scope } = this.options;
    const query: GraphQLFieldConfigMap<unknown, TContext> = {};
    const mutation: GraphQLFieldConfigMap<unknown, TContext> = {};
    const subscription: GraphQLFieldConfigMap<unknown, TContext> = {};
    if (scope === 'system') {
      addAll(query, systemQueryFields(this.systemContext()));
      addAll(mutation, systemMutationFields(this.systemContext()));
    }
    const collections = Object.keys(this.snapshot.collections).filter((c) => this.eligible.has(c) && inScope(scope, c));
    for (const c of collections) if (this.readable(c)) this.addQueryFields(query, c);
    if (Object.keys(query).length === 0) {
      query._empty = { type: GraphQLVoid, description: "There's no data to query." };
    }
    for (const c of collections) this.addCreateFields(mutation, c);
    for (const c of collections) this.addUpdateFields(mutation, c);
    for (const c of collections) this.addDeleteFields(mutation, c);
    if (scope === 'items')
      for (const c of collections) if (this.readable(c)) this.addSubscriptionField(subscription, c);

    const extension: SchemaExtension = { scope, read: this.read };
    return new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'Query', fields: lean(query) }),
      mutation:
        Object.keys(mutation).length > 0 ? new GraphQLObjectType({ name: 'Mutation', fields: lean(mutation) }) : null,
      subscription:
        Object.keys(subscription).length > 0
          ? new GraphQLObjectType({ name: 'Subscription', fields: lean(subscription) })
          : null,
      extensions: { tessera: extension },
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Which collections and fields take part

  /** Collections with valid, unreserved, non-clashing names that are not served by custom system resolvers. */
  private selectEligible(): void {
    const taken = new Set(STATIC_TYPE_NAMES);
    for (const [name, collection] of Object.entries(this.snapshot.collections)) {
      if (!isGraphqlName(name) || SYSTEM_DENY_LIST.has(name)) continue;
      const unions = Object.values(collection.relations)
        .filter((r) => r.kind === 'a2o')
        .map((r) => r.field);
      const names = generatedTypeNames(name, unions);
      if (names.some((n) => taken.has(n))) continue;
      for (const n of names) taken.add(n);
      this.eligible.add(name);
    }
  }

  private permission(collection: string, action: GraphqlAction): ActionPermission | null {
    return this.options.permissions ? this.options.permissions(collection, action) : ADMIN;
  }

  /** A readable collection: eligible, in the role's read view, with at least one field to show. */
  private readable(collection: string): boolean {
    return (
      this.eligible.has(collection) && !!this.read.collections[collection] && this.readFields(collection).length > 0
    );
  }

  /** The fields of the read type: readable ones (the read view's fieldOrder), valid names, relations resolved. */
  private readFields(collection: string): readonly FieldSnapshot[] {
    let fields = this.readFieldCache.get(collection);
    if (!fields) {
      const c = this.read.collections[collection];
      fields = c ? c.fieldOrder.map((f) => c.fields[f]).filter((f) => this.showsField(c, f, this.read)) : [];
      this.readFieldCache.set(collection, fields);
    }
    return fields;
  }

  /** A field appears when its name is valid and it has a value: alias fields only through a usable relation. */
  private showsField(c: CollectionSnapshot, field: FieldSnapshot, view: SchemaSnapshot): boolean {
    if (!isGraphqlName(field.field)) return false;
    if (!field.alias) return true;
    const relation = c.relations[field.field];
    return relation?.kind === 'o2m' && this.eligible.has(relation.related) && !!view.collections[relation.related];
  }

  /** A relation the read type exposes as an object (M2O) or a list (O2M): its target is readable. */
  private readRelation(c: CollectionSnapshot, field: string): Exclude<RelationInfo, { kind: 'a2o' }> | null {
    const relation = c.relations[field];
    if (!relation || relation.kind === 'a2o') return null;
    return this.readable(relation.related) ? relation : null;
  }

  /** An any-to-one field shown as a union: readable targets, and a readable collection field to tell them apart. */
  private unionTargets(c: CollectionSnapshot, field: string): string[] | null {
    const relation = c.relations[field];
    if (relation?.kind !== 'a2o' || !c.fields[relation.collectionField]) return null;
    const targets = relation.allowedCollections.filter((t) => this.readable(t));
    return targets.length > 0 ? targets : null;
  }

  private nonNull(field: FieldSnapshot, inconsistent: ReadonlySet<string>): boolean {
    return !field.nullable && !hasDefault(field) && !inconsistent.has(field.field);
  }

  private inconsistent(collection: string, action: GraphqlAction): ReadonlySet<string> {
    return new Set(Object.keys(this.permission(collection, action)?.fieldCases ?? {}));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Read types

  objectType(collection: string): GraphQLObjectType {
    let type = this.objectTypes.get(collection);
    if (!type) {
      type = new GraphQLObjectType({ name: collection, fields: () => this.objectFields(collection) });
      this.objectTypes.set(collection, type);
    }
    return type;
  }

  private objectFields(collection: string): GraphQLFieldConfigMap<unknown, unknown> {
    const c = this.read.collections[collection];
    const inconsistent = this.inconsistent(collection, 'read');
    const fields: GraphQLFieldConfigMap<unknown, unknown> = {};
    for (const field of this.readFields(collection)) {
      const description = noteOf(field);
      const relation = this.readRelation(c, field.field);
      const targets = this.unionTargets(c, field.field);
      if (field.alias && !relation) continue;
      if (relation) {
        const related = this.objectType(relation.related);
        fields[field.field] = {
          type: relation.kind === 'm2o' ? related : new GraphQLList(related),
          args: this.relationArgs(relation.related),
          resolve: readField,
          description,
        };
      } else if (targets) {
        const info = c.relations[field.field] as Extract<RelationInfo, { kind: 'a2o' }>;
        fields[field.field] = {
          type: new GraphQLUnionType({
            name: unionName(collection, field.field),
            types: () => targets.map((t) => this.objectType(t)),
            resolveType: unionTypeName,
          }),
          resolve: m2aItemResolver(info.collectionField, new Set(targets)),
          description,
        };
      } else {
        let type: GraphQLOutputType = scalarOf(field);
        if (field.field === c.primaryKey) {
          type = collection === 'directus_permissions' ? GraphQLID : new GraphQLNonNull(GraphQLID);
        } else if (this.nonNull(field, inconsistent)) {
          type = new GraphQLNonNull(type);
        }
        fields[field.field] = { type, resolve: readField, description };
      }
      const group = functionGroupOf(field.type, !!relation && relation.kind === 'o2m');
      const funcName = `${field.field}_func`;
      if (group && !c.fields[funcName]) fields[funcName] = this.functionField(field.field, group);
    }
    return lean(fields);
  }

  private functionField(field: string, group: FunctionGroup): GraphQLFieldConfig<unknown, unknown> {
    const resolve = group === 'json' ? jsonFunctionsResolver(field) : functionsResolver(field, functionsOf(group));
    return { type: functionObjectType(group), resolve };
  }

  /** `filter`, `sort`, `limit`, `offset`, `page`, `search` of a list (root fields and relational fields). */
  private relationArgs(collection: string): GraphQLFieldConfigArgumentMap {
    let args = this.relationArgsCache.get(collection);
    if (!args) {
      args = {
        filter: { type: this.filterType(collection) },
        sort: { type: STRING_LIST },
        limit: { type: GraphQLInt },
        offset: { type: GraphQLInt },
        page: { type: GraphQLInt },
        search: { type: GraphQLString },
      };
      this.relationArgsCache.set(collection, args);
    }
    return args;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Filters

  filterType(collection: string): GraphQLInputObjectType {
    let type = this.filterTypes.get(collection);
    if (!type) {
      const self: GraphQLInputObjectType = new GraphQLInputObjectType({
        name: `${collection}_filter`,
        fields: () =>
          lean({
            ...this.filterFields(collection),
            _and: { type: new GraphQLList(self) },
            _or: { type: new GraphQLList(self) },
          }),
      });
      type = self;
      this.filterTypes.set(collection, type);
    }
    return type;
  }

  /** `<c>_filter` plus `_some`/`_none`: the filter of an O2M's targets. */
  private quantifierType(collection: string): GraphQLInputObjectType {
    let type = this.quantifierTypes.get(collection);
    if (!type) {
      const filter = this.filterType(collection);
      type = new GraphQLInputObjectType({
        name: `${collection}_quantifier_filter`,
        fields: () =>
          lean({
            ...this.filterFields(collection),
            _and: { type: new GraphQLList(filter) },
            _or: { type: new GraphQLList(filter) },
            _some: { type: filter },
            _none: { type: filter },
          }),
      });
      this.quantifierTypes.set(collection, type);
    }
    return type;
  }

  /** The filter fields of a collection, shared by its filter and quantifier types (graphql-js copies configs). */
  private filterFields(collection: string): GraphQLInputFieldConfigMap {
    let fields = this.filterFieldCache.get(collection);
    if (!fields) {
      fields = lean(this.collectFilterFields(collection));
      this.filterFieldCache.set(collection, fields);
    }
    return fields;
  }

  private collectFilterFields(collection: string): GraphQLInputFieldConfigMap {
    const c = this.read.collections[collection];
    const fields: GraphQLInputFieldConfigMap = {};
    for (const field of this.readFields(collection)) {
      const relation = this.readRelation(c, field.field);
      const targets = this.unionTargets(c, field.field);
      if (field.alias && !relation) continue;
      if (relation) {
        fields[field.field] = {
          type: relation.kind === 'm2o' ? this.filterType(relation.related) : this.quantifierType(relation.related),
        };
      } else if (targets) {
        for (const target of targets) {
          const key = `${field.field}__${target}`;
          if (!c.fields[key]) fields[key] = { type: this.filterType(target) };
        }
      } else {
        const operators = operatorTypeOf(field);
        if (operators) fields[field.field] = { type: operators };
      }
      const group = functionGroupOf(field.type, relation?.kind === 'o2m');
      const funcName = `${field.field}_func`;
      if (group && !c.fields[funcName]) fields[funcName] = { type: functionFilterType(group) };
    }
    return fields;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Aggregates

  private aggregatedType(collection: string): GraphQLObjectType {
    let type = this.aggregatedTypes.get(collection);
    if (!type) {
      const columns = this.readFields(collection).filter((f) => !f.alias);
      const count = new GraphQLObjectType({
        name: `${collection}_aggregated_count`,
        fields: lean(Object.fromEntries(columns.map((f) => [f.field, { type: GraphQLInt, description: noteOf(f) }]))),
      });
      const fields: GraphQLFieldConfigMap<unknown, unknown> = {
        group: { type: GraphQLJSON, resolve: groupResolver },
        countAll: { type: GraphQLInt },
        count: { type: count },
        countDistinct: { type: count },
      };
      const numeric = columns.filter((f) => NUMERIC_SCALARS.has(scalarOf(f)));
      // Directus offers avg/sum/min/max when some column is an Int or a Float (bigIntegers alone don't count).
      if (numeric.some((f) => scalarOf(f) !== GraphQLBigInt)) {
        const values = new GraphQLObjectType({
          name: `${collection}_aggregated_fields`,
          fields: lean(
            Object.fromEntries(numeric.map((f) => [f.field, { type: GraphQLFloat, description: noteOf(f) }])),
          ),
        });
        for (const fn of ['avg', 'sum', 'avgDistinct', 'sumDistinct', 'min', 'max']) fields[fn] = { type: values };
      }
      type = new GraphQLObjectType({ name: `${collection}_aggregated`, fields: lean(fields) });
      this.aggregatedTypes.set(collection, type);
    }
    return type;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Root fields

  private operation(kind: ItemsOperationKind, collection: string, returnsItems = true): ItemsOperation {
    return { kind, collection, returnsItems };
  }

  /** A root field: its operation in `extensions.tessera`, its resolver calling `options.resolve`. */
  private root(
    operation: GraphqlOperation,
    config: Omit<GraphQLFieldConfig<unknown, TContext>, 'resolve'>,
  ): GraphQLFieldConfig<unknown, TContext> {
    const resolve = this.options.resolve;
    return {
      ...config,
      extensions: { tessera: operation },
      resolve: resolve ? (_source, args, context, info) => resolve(operation, args, context, info) : undefined,
    };
  }

  private addQueryFields(query: GraphQLFieldConfigMap<unknown, TContext>, collection: string): void {
    const name = rootName(this.options.scope, collection);
    const type = this.objectType(collection);
    if (this.snapshot.collections[collection].singleton) {
      addField(query, name, this.root(this.operation('singleton', collection), { type }));
      return;
    }
    const listType = new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type)));
    addField(
      query,
      name,
      this.root(this.operation('items', collection), { type: listType, args: this.relationArgs(collection) }),
    );
    addField(
      query,
      `${name}_by_id`,
      this.root(this.operation('by_id', collection), { type, args: { id: { type: new GraphQLNonNull(GraphQLID) } } }),
    );
    const { filter, sort, limit, offset, page, search } = this.relationArgs(collection);
    addField(
      query,
      `${name}_aggregated`,
      this.root(this.operation('aggregated', collection), {
        type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(this.aggregatedType(collection)))),
        args: { groupBy: { type: STRING_LIST }, filter, limit, offset, page, search, sort },
      }),
    );
  }

  private addSubscriptionField(subscription: GraphQLFieldConfigMap<unknown, TContext>, collection: string): void {
    const operation = this.operation('mutated', collection);
    const subscribe = this.options.subscribe;
    addField(subscription, `${collection}_mutated`, {
      type: new GraphQLObjectType({
        name: `${collection}_mutated`,
        fields: lean({
          key: { type: new GraphQLNonNull(GraphQLID) },
          event: { type: EventEnum },
          data: { type: this.objectType(collection) },
        }),
      }),
      args: { event: { type: EventEnum } },
      extensions: { tessera: operation },
      subscribe: subscribe ? (_source, args, context, info) => subscribe(operation, args, context, info) : undefined,
      resolve: (payload: unknown) => payload,
    });
  }

  /**
   * Whether mutations are generated for a collection at all (system tables served elsewhere, read-only ones, and
   * views: they are read-only).
   */
  private mutable(collection: string): boolean {
    return !READ_ONLY.has(collection) && !this.snapshot.collections[collection]?.view;
  }

  /** The item type a mutation returns, or Boolean when the role can't read the collection (spec 9). */
  private mutationResult(collection: string, list: boolean): { type: GraphQLOutputType; returnsItems: boolean } {
    if (!this.readable(collection)) return { type: GraphQLBoolean, returnsItems: false };
    const type = this.objectType(collection);
    return { type: list ? new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type))) : type, returnsItems: true };
  }

  private readArgs(collection: string): GraphQLFieldConfigArgumentMap {
    return this.readable(collection) ? this.relationArgs(collection) : {};
  }

  private addCreateFields(mutation: GraphQLFieldConfigMap<unknown, TContext>, collection: string): void {
    if (!this.mutable(collection) || this.snapshot.collections[collection].singleton) return;
    if (!this.writable(collection, 'create')) return;
    const name = rootName(this.options.scope, collection);
    const input = this.inputType(collection, 'create');
    const many = this.mutationResult(collection, true);
    const one = this.mutationResult(collection, false);
    addField(
      mutation,
      `create_${name}_items`,
      this.root(this.operation('create_items', collection, many.returnsItems), {
        type: many.type,
        args: { ...this.readArgs(collection), data: { type: new GraphQLList(new GraphQLNonNull(input)) } },
      }),
    );
    addField(
      mutation,
      `create_${name}_item`,
      this.root(this.operation('create_item', collection, one.returnsItems), {
        type: one.type,
        args: { data: { type: new GraphQLNonNull(input) } },
      }),
    );
  }

  private addUpdateFields(mutation: GraphQLFieldConfigMap<unknown, TContext>, collection: string): void {
    if (!this.mutable(collection) || !this.writable(collection, 'update')) return;
    const name = rootName(this.options.scope, collection);
    const input = this.inputType(collection, 'update');
    const one = this.mutationResult(collection, false);
    if (this.snapshot.collections[collection].singleton) {
      addField(
        mutation,
        `update_${name}`,
        this.root(this.operation('update_singleton', collection, one.returnsItems), {
          type: one.type,
          args: { data: { type: new GraphQLNonNull(input) } },
        }),
      );
      return;
    }
    const many = this.mutationResult(collection, true);
    addField(
      mutation,
      `update_${name}_items`,
      this.root(this.operation('update_items', collection, many.returnsItems), {
        type: many.type,
        args: {
          ...this.readArgs(collection),
          ids: { type: new GraphQLNonNull(ID_LIST) },
          data: { type: new GraphQLNonNull(input) },
        },
      }),
    );
    addField(
      mutation,
      `update_${name}_batch`,
      this.root(this.operation('update_batch', collection, many.returnsItems), {
        type: many.type,
        args: { ...this.readArgs(collection), data: { type: new GraphQLList(new GraphQLNonNull(input)) } },
      }),
    );
    addField(
      mutation,
      `update_${name}_item`,
      this.root(this.operation('update_item', collection, one.returnsItems), {
        type: one.type,
        args: { id: { type: new GraphQLNonNull(GraphQLID) }, data: { type: new GraphQLNonNull(input) } },
      }),
    );
  }

  private addDeleteFields(mutation: GraphQLFieldConfigMap<unknown, TContext>, collection: string): void {
    if (!this.mutable(collection) || this.snapshot.collections[collection].singleton) return;
    if (!this.permission(collection, 'delete')) return;
    const name = rootName(this.options.scope, collection);
    addField(
      mutation,
      `delete_${name}_items`,
      this.root(this.operation('delete_items', collection, false), {
        type: DeleteMany,
        args: { ids: { type: new GraphQLNonNull(ID_LIST) } },
      }),
    );
    addField(
      mutation,
      `delete_${name}_item`,
      this.root(this.operation('delete_item', collection, false), {
        type: DeleteOne,
        args: { id: { type: new GraphQLNonNull(GraphQLID) } },
      }),
    );
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Create and update inputs

  /** Fields the role may write with `action`, from the full snapshot (a write-only field is still an input). */
  private writeFields(collection: string, action: 'create' | 'update'): FieldSnapshot[] {
    const key = `${action}:${collection}`;
    let fields = this.writeFieldCache.get(key);
    if (!fields) {
      const permission = this.permission(collection, action);
      const c = this.snapshot.collections[collection];
      const allowed = (f: string) => !!permission && (permission.fields === '*' || permission.fields.has(f));
      fields = c
        ? c.fieldOrder.map((f) => c.fields[f]).filter((f) => allowed(f.field) && this.showsField(c, f, this.snapshot))
        : [];
      this.writeFieldCache.set(key, fields);
    }
    return fields;
  }

  /** Whether `create_<c>_input` / `update_<c>_input` exists: the action is granted on some column. */
  private writable(collection: string, action: 'create' | 'update'): boolean {
    return (
      this.eligible.has(collection) &&
      !this.snapshot.collections[collection]?.view &&
      this.writeFields(collection, action).some((f) => !f.alias)
    );
  }

  inputType(collection: string, action: 'create' | 'update'): GraphQLInputObjectType {
    const key = `${action}:${collection}`;
    let type = this.inputTypes.get(key);
    if (!type) {
      type = new GraphQLInputObjectType({
        name: `${action}_${collection}_input`,
        fields: () => this.inputFields(collection, action),
      });
      this.inputTypes.set(key, type);
    }
    return type;
  }

  /**
   * The payload of a create or update. Relations take nested inputs of the related collection (M2O an object, O2M a
   * list; M2A junction items keep their key and collection as scalars, there are no input unions); without a nested
   * input for the target, an M2O takes the key and an O2M is left out.
   */
  private inputFields(collection: string, action: 'create' | 'update'): GraphQLInputFieldConfigMap {
    const c = this.snapshot.collections[collection];
    const inconsistent = this.inconsistent(collection, action);
    const fields: GraphQLInputFieldConfigMap = {};
    for (const field of this.writeFields(collection, action)) {
      const relation = c.relations[field.field];
      const nested =
        relation && relation.kind !== 'a2o' && this.writable(relation.related, action)
          ? this.inputType(relation.related, action)
          : null;
      const description = noteOf(field);
      if (relation?.kind === 'o2m') {
        if (nested) fields[field.field] = { type: new GraphQLList(nested), description };
        continue;
      }
      if (nested) {
        fields[field.field] = { type: nested, description };
        continue;
      }
      let type: GraphQLInputType = scalarOf(field);
      if (field.field === c.primaryKey) {
        const required =
          action === 'create' &&
          collection !== 'directus_permissions' &&
          !hasDefault(field) &&
          !field.special.includes('uuid');
        type = required ? new GraphQLNonNull(GraphQLID) : GraphQLID;
      } else if (action === 'create' && this.nonNull(field, inconsistent)) {
        type = new GraphQLNonNull(type);
      }
      fields[field.field] = { type, description };
    }
    return lean(fields);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // System scope

  private systemContext(): SystemContext<TContext> {
    return {
      root: this.root.bind(this),
      readable: (c: string) => this.readable(c),
      objectType: (c: string) => this.objectType(c),
      writable: (c: string, action: 'create' | 'update') => this.writable(c, action),
      inputType: (c: string, action: 'create' | 'update') => this.inputType(c, action),
      readsSchema: (c: SchemaMetaCollection) =>
        this.options.readsSchema ? this.options.readsSchema(c) : !this.options.permissions,
    };
  }
}

export type SystemContext<TContext> = {
  root(
    operation: GraphqlOperation,
    config: Omit<GraphQLFieldConfig<unknown, TContext>, 'resolve'>,
  ): GraphQLFieldConfig<unknown, TContext>;
  readable(collection: string): boolean;
  objectType(collection: string): GraphQLObjectType;
  writable(collection: string, action: 'create' | 'update'): boolean;
  inputType(collection: string, action: 'create' | 'update'): GraphQLInputObjectType;
  readsSchema(collection: SchemaMetaCollection): boolean;
};

function noteOf(field: FieldSnapshot): string | undefined {
  const note = field.meta?.note;
  return typeof note === 'string' && note !== '' ? note : undefined;
}

/** First definition wins: a generated root field never replaces another. */
function addField<T>(map: Record<string, T>, name: string, config: T): void {
  if (!Object.hasOwn(map, name)) map[name] = config;
}

function addAll<T>(map: Record<string, T>, configs: Record<string, T>): void {
  for (const [name, config] of Object.entries(configs)) addField(map, name, config);
}

import {
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  Kind,
  getNamedType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GraphqlItemsQuery, GraphqlOperation, SchemaExtension } from '@lib/graphql-schema';
import type { CollectionSnapshot, SchemaSnapshot } from '@lib/schema';
import type { PrimaryKey } from '../../core/events/items-events';

/**
 * The fast path of a read: for many queries, the JSON the items service produces for a root field (REST's `data`,
 * one SQL statement) already IS the GraphQL answer for that field, but for integer primary keys, which GraphQL
 * serialises as ID strings (spec 15). The statement is therefore compiled against a copy of the request's snapshot in
 * which integer primary keys are typed bigInteger ({@link textKeySnapshot}): REST's format for bigInteger is text, so
 * PostgreSQL writes those keys as JSON strings, and the root field's answer is the statement's JSON text as is,
 * spliced into `{"data":{…}}` as REST splices its envelope: no parse, no field-by-field completion, no
 * re-serialisation, no pass over the text.
 *
 * A query qualifies ({@link planFastRead}) when every selected value travels identically in REST JSON and GraphQL:
 * - a query operation whose root fields are `<c>` or `<c>_by_id` (no singletons, aggregates or system fields, no
 *   directives or fragments at the root, one node per response key);
 * - below the root: scalar fields of types whose REST value is the GraphQL value (not decimal, float, json, csv,
 *   geometry, nor `<field>_func`), M2O and O2M relations (with their arguments), fragments and @include/@skip; no M2A
 *   unions, no `__typename`, no aliases below the root items (REST aliases root-level fields only).
 * Everything else — and any request whose fast run fails (a variable that doesn't coerce, a FORBIDDEN by_id, a bad
 * argument) — takes the general path (graphql-yoga executing the schema's resolvers), which answers errors properly.
 */
export interface FastRead {
  readonly operation: OperationDefinitionNode;
  readonly roots: readonly FastRoot[];
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  /** The operation declares no variables: each root's translated query is the same for every request. */
  readonly constant: boolean;
}

export interface FastRoot {
  readonly key: string;
  /** `"<key>":`, the root field's place in the answer. */
  readonly prefix: string;
  readonly node: FieldNode;
  readonly field: GraphQLField<unknown, unknown>;
  readonly operation: GraphqlOperation;
  /**
   * For a {@link FastRead.constant} plan: the root's raw query (translated selection) and `_by_id` key, filled by the
   * first request (both depend only on the schema and the document, which key the plan).
   */
  constant?: { readonly raw: GraphqlItemsQuery; readonly key: PrimaryKey | undefined };
}

const ROOT_KINDS: ReadonlySet<string> = new Set(['items', 'by_id']);
/**
 * Field types whose REST JSON value is exactly the GraphQL value. Not float: PostgreSQL writes a real NaN or Infinity
 * as a JSON string, which GraphQL's Float refuses.
 */
const SAME_VALUE_TYPES: ReadonlySet<string> = new Set([
  'string',
  'text',
  'uuid',
  'hash',
  'integer',
  'bigInteger',
  'boolean',
  'date',
  'time',
  'dateTime',
  'timestamp',
]);

class NotFast extends Error {}

/** The fast plan of `operation`, or null when it must run through the general path. */
export function planFastRead(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): FastRead | null {
  if (operation.operation !== 'query') return null;
  const extension = schema.extensions?.tessera as SchemaExtension | undefined;
  const query = schema.getQueryType();
  if (!extension || !query) return null;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const walker = new Walker(extension.read, fragments);
  const roots: FastRoot[] = [];
  try {
    for (const selection of operation.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD || selection.directives?.length) return null;
      const key = selection.alias?.value ?? selection.name.value;
      const field = query.getFields()[selection.name.value];
      const op = field?.extensions?.tessera as GraphqlOperation | undefined;
      if (!field || !op || !ROOT_KINDS.has(op.kind) || !op.returnsItems || !selection.selectionSet) return null;
      if (roots.some((r) => r.key === key)) return null;
      const type = getNamedType(field.type);
      if (!(type instanceof GraphQLObjectType)) return null;
      walker.walk(type, selection.selectionSet, true);
      roots.push({ key, prefix: `${JSON.stringify(key)}:`, node: selection, field, operation: op });
    }
  } catch (error) {
    if (error instanceof NotFast) return null;
    throw error;
  }
  return { operation, roots, fragments, constant: !operation.variableDefinitions?.length };
}

/**
 * `snapshot` with every integer primary key typed bigInteger (the same column, range checks by its database type):
 * reads compiled against it write those keys as JSON strings, as GraphQL's ID serialises them, and everything else
 * as REST does. The same object when no collection has an integer key.
 */
export function textKeySnapshot(snapshot: SchemaSnapshot): SchemaSnapshot {
  let collections: Record<string, CollectionSnapshot> | null = null;
  for (const [name, collection] of Object.entries(snapshot.collections)) {
    const pk = collection.fields[collection.primaryKey];
    if (pk?.type !== 'integer') continue;
    collections ??= { ...snapshot.collections };
    collections[name] = {
      ...collection,
      fields: { ...collection.fields, [collection.primaryKey]: { ...pk, type: 'bigInteger' } },
    };
  }
  return collections ? { ...snapshot, collections } : snapshot;
}

class Walker {
  constructor(
    private readonly snapshot: SchemaSnapshot,
    private readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  ) {}

  walk(type: GraphQLObjectType, set: SelectionSetNode, rootItem: boolean, seen = new Set<string>()): void {
    const collection = this.snapshot.collections[type.name];
    if (!collection) throw new NotFast();
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (selection.typeCondition && selection.typeCondition.name.value !== type.name) throw new NotFast();
        this.walk(type, selection.selectionSet, rootItem, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = this.fragments[selection.name.value];
        if (!fragment || fragment.typeCondition.name.value !== type.name || seen.has(fragment.name.value)) {
          throw new NotFast();
        }
        seen.add(fragment.name.value);
        this.walk(type, fragment.selectionSet, rootItem, seen);
        seen.delete(fragment.name.value);
        continue;
      }
      const name = selection.name.value;
      const key = selection.alias?.value ?? name;
      if (key !== name && !rootItem) throw new NotFast();
      const field = type.getFields()[name];
      const snapshotField = collection.fields[name];
      if (!field || !snapshotField) throw new NotFast(); // __typename, <field>_func
      const output = unwrap(field.type);
      if (output instanceof GraphQLObjectType) {
        if (!selection.selectionSet || !collection.relations[name]) throw new NotFast();
        this.walk(output, selection.selectionSet, false);
      } else if (output === undefined) {
        throw new NotFast(); // a union (M2A) or a list of one
      } else if (!SAME_VALUE_TYPES.has(snapshotField.type) || snapshotField.alias) {
        throw new NotFast();
      }
    }
  }
}

/** The object type of a relation (through lists and non-nulls), null for a scalar, undefined for anything else. */
function unwrap(type: unknown): GraphQLObjectType | null | undefined {
  let inner = type;
  while (inner instanceof GraphQLNonNull || inner instanceof GraphQLList) inner = inner.ofType;
  if (inner instanceof GraphQLObjectType) return inner;
  const named = getNamedType(inner as never) as { name?: string } | undefined;
  if (!named) return undefined;
  // Scalars; unions and interfaces are not scalars.
  return 'serialize' in (named as object) ? null : undefined;
}

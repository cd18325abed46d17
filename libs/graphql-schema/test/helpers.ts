import {
  executeSync,
  GraphQLInputObjectType,
  GraphQLObjectType,
  parse,
  printType,
  validate,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import {
  buildGraphqlSchema,
  selectionToQuery,
  toPlain,
  type GraphqlItemsQuery,
  type GraphqlOperation,
  type GraphqlSchemaOptions,
} from '@lib/graphql-schema';
import { buildReadAst, sanitizeQuery } from '@lib/query';
import type { SchemaSnapshot } from '@lib/schema';
import { context, limits } from './fixtures';

/** graphql-js's validation messages for a document (what `/graphql` answers with HTTP 400 GRAPHQL_VALIDATION). */
export function validationErrors(schema: GraphQLSchema, source: string): string[] {
  return validate(schema, parse(source)).map((e) => e.message);
}

export function fieldNames(schema: GraphQLSchema, typeName: string): string[] {
  const type = schema.getType(typeName);
  if (type instanceof GraphQLObjectType || type instanceof GraphQLInputObjectType) return Object.keys(type.getFields());
  throw new Error(`no object or input type ${typeName}`);
}

export function typeSdl(schema: GraphQLSchema, typeName: string): string {
  const type = schema.getType(typeName);
  if (!type) throw new Error(`no type ${typeName}`);
  return printType(type);
}

export interface Captured {
  readonly operation: GraphqlOperation;
  readonly args: Record<string, unknown>;
  readonly query: GraphqlItemsQuery;
}

/**
 * Runs a document against the schema of `snapshot` with a root resolver that records what a Nest adapter would
 * receive: the operation, the (plain) root arguments and `selectionToQuery(info)`. Root fields answer `data[key]`.
 */
export function run(
  snapshot: SchemaSnapshot,
  source: string,
  options: Partial<GraphqlSchemaOptions> & { variables?: Record<string, unknown>; data?: Record<string, unknown> } = {},
): { captured: Captured[]; result: ExecutionResult } {
  const captured: Captured[] = [];
  const schema = buildGraphqlSchema(snapshot, {
    scope: 'items',
    ...options,
    resolve: (operation, args, _context, info) => {
      captured.push({ operation, args: toPlain(args) as Record<string, unknown>, query: selectionToQuery(info) });
      const key = info.path.key as string;
      if (options.data && Object.hasOwn(options.data, key)) return options.data[key];
      return ['items', 'aggregated', 'create_items', 'update_items', 'update_batch'].includes(operation.kind) &&
        operation.returnsItems
        ? []
        : null;
    },
  });
  const document = parse(source);
  const errors = validate(schema, document);
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
  const result = executeSync({ schema, document, variableValues: options.variables });
  return { captured, result };
}

/** The one query a document's single root field translates to. */
export function queryOf(snapshot: SchemaSnapshot, source: string, variables?: Record<string, unknown>) {
  const { captured } = run(snapshot, source, { variables });
  if (captured.length !== 1) throw new Error(`expected one root field, got ${captured.length}`);
  return captured[0]!.query;
}

/** Whether libs/query accepts the translated query as REST's: sanitizeQuery then buildReadAst, against `snapshot`. */
export function accept(snapshot: SchemaSnapshot, collection: string, raw: GraphqlItemsQuery): void {
  const query = sanitizeQuery(raw, context, limits);
  buildReadAst(snapshot, collection, query, { mode: 'list', limits });
}

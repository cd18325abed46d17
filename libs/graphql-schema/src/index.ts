/**
 * libs/graphql-schema: the Directus GraphQL API as pure functions (no Nest, no I/O).
 * - buildGraphqlSchema(snapshot, {scope, permissions, resolve, subscribe}) → the graphql-js schema a role sees;
 * - selectionToQuery(info) → the one Directus items query a root field's whole selection set stands for;
 * - field-level resolvers that shape the items service's JSON into the GraphQL answer (aliases, `_func`, M2A, group).
 * See libs/graphql-schema/README.md for how a transport plugs its root resolvers in.
 */
export { buildGraphqlSchema, scalarOf, DeleteMany, DeleteOne, EventEnum } from './build';
export { operatorsOf, operatorKindOf } from './operators';
export { functionsResolver, groupResolver, m2aItemResolver, readField, toPlain } from './resolvers';
export {
  GraphQLBigInt,
  GraphQLDate,
  GraphQLHash,
  GraphQLJSON,
  GraphQLJsonFilter,
  GraphQLStringOrFloat,
  GraphQLVoid,
  SCALARS,
} from './scalars';
export { convertFilter, operationOf, selectionToQuery, translateSelection, type SelectionInput } from './selection';
export * from './types';

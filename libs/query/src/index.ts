/**
 * libs/query: the Directus read-query DSL → a validated AST checked against the schema snapshot → one PostgreSQL
 * statement returning the whole JSON response; the statements of the write path (compile-write); and every other
 * statement the server runs outside migrations: DDL (ddl), catalogue reads (catalog) and the fixed statements on
 * system tables (system). Pure: no Nest, no I/O. Only InvalidQueryError and ForbiddenError escape the read/write
 * compilers; the DDL builders throw InvalidPayloadError for a default or type a column can't take.
 */
export type * from './ast';
export { buildReadAst, readOneKey } from './build';
export { buildFilter } from './build-filter';
export {
  compileChangeKnown,
  compileChangesAfter,
  compileChangesLast,
  compileChangeWriters,
  compileWritersRunning,
  compileRestoreBefore,
  type ChangeRow,
} from './changes';
export {
  captureCtes,
  CHANGES_CHANNEL,
  compileCapture,
  compileWrittenRows,
  foldableShape,
  foldCtes,
  itemText,
  revisionFields,
  withParts,
  type CaptureAction,
  type CaptureActor,
  type CaptureInput,
  type CaptureResult,
  type CaptureSpec,
} from './capture';
export {
  CATALOG_COLUMNS_SQL,
  CATALOG_FOREIGN_KEYS_SQL,
  CATALOG_SYSTEM_COLUMNS_SQL,
  CATALOG_UNINDEXED_FOREIGN_KEYS_SQL,
  compileDatabaseExists,
  compileRelationNameTaken,
} from './catalog';
export * from './ddl';
export * from './system';
export { compilePrune, type RetentionTarget } from './retention';
export {
  compileRead,
  compileWriteAndReadBack,
  READ_BACK_COLUMN,
  type CompiledRead,
  type WriteStatement,
} from './compile';
export {
  compileDelete,
  compileDeselectCandidates,
  compileInsert,
  compileLinkCandidates,
  compileResetSequence,
  compileSelectKeys,
  compileSelectRows,
  compileSingletonRow,
  compileSortMax,
  compileUpdate,
  keysParam,
  MAX_PARAMS,
  type InsertStatement,
  type WriteKey,
  type WriteRow,
} from './compile-write';
export { adjustDate, resolveDynamicVariable } from './dynamic-variables';
export { DATE_PART_FUNCTIONS, TIME_PART_FUNCTIONS } from './functions';
export { jsonOutputKey } from './json-path';
export { FILTER_OPERATORS, filterTypeOf, isCompareOperator, isOperatorAllowed, type FilterOperator } from './operators';
export { isPlainObject, parseFilter } from './parse-filter';
export { sanitizeQuery } from './sanitize';
export { ident, Params } from './sql';
export * from './types';

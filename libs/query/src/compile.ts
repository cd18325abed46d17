import type { CollectionSnapshot, SchemaSnapshot } from '@lib/schema';
import type { AggregateNode, AggregateQuery, FilterNode, Level, ReadAst, SelectNode } from './ast';
import { compileFilter, compileOperand, compileSortValue, orderTerm } from './compile-filter';
import { formatField } from './format';
import { column, ident, jsonKey } from './sql';
import { Statement } from './statement';
import { sqlTypeOfField } from './values';

export interface CompiledRead {
  /** One statement returning one row: `data` (JSON text) plus `total_count` / `filter_count` when meta asks. */
  sql: string;
  params: unknown[];
}

/**
 * Compiles a read AST into ONE PostgreSQL statement whose single row holds the whole response tree as JSON text
 * (`data`: an array for lists, an object or null for single reads), formatted as Directus does (spec 15).
 *
 * Plan: every level of the tree is a CTE of its rows — the root page (filter, search, sort, limit), and per relation
 * the related rows of the levels above (`fk IN (SELECT pk FROM parent)`, per-parent limits via row_number()) —
 * then the JSON is assembled bottom-up: one grouped json_agg per O2M, one lookup per M2O/A2O target, joined back.
 */
export function compileRead(ast: ReadAst, schema: SchemaSnapshot): CompiledRead {
  const st = new Statement(schema, ast.access, compileFilter);
  const root = st.collection(ast.collection);
  const data = ast.aggregate ? compileAggregate(st, ast, root, ast.aggregate) : compileItems(st, ast, root);
  const meta = ast.meta.map((kind) => `${compileCount(st, ast, root, kind === 'filter_count')}::int8 AS ${ident(kind)}`);
  return { sql: [data, ...meta].join(', ').replace(/^/, '').concat(data.from), params: st.params.values };
}

import type { FilterNode, Operand, SortNode, TypedValue } from './ast';
import { isPatternOperator } from './operators';
import { datePart, jsonLength } from './format';
import type { CompareOperator } from './operators';
import { column, ident } from './sql';
import type { Statement } from './statement';

/** A filter node as a SQL condition over the row `alias` of `collection`. */
export function compileFilter(st: Statement, node: FilterNode, alias: string, collection: string): string {
  switch (node.kind) {
    case 'const':
      return node.value ? 'TRUE' : 'FALSE';
    case 'and':
    case 'or':
      return `(${node.children.map((child) => compileFilter(st, child, alias, collection)).join(` ${node.kind.toUpperCase()} `)})`;
    case 'compare':
      return compileCompare(st, node, alias, collection);
    case 'm2o': {
      const related = node.relation.related;
      const inner = st.aliases.next('t');
      const on = `${column(inner, node.relation.relatedPrimaryKey)} = ${column(alias, node.relation.field)}`;
      return relatedRowMatches(st, node.filter, inner, related, on);
    }
    case 'a2o': {
      const inner = st.aliases.next('t');
      const pk = st.collection(node.collection).primaryKey;
      const on =
        `${column(alias, node.relation.collectionField)} = ${st.params.add(node.collection, 'text')}` +
        ` AND ${column(inner, pk)}::text = ${column(alias, node.relation.field)}`;
      return relatedRowMatches(st, node.filter, inner, node.collection, on);
    }
    case 'o2m': {
      const inner = st.aliases.next('t');
      const pk = st.collection(collection).primaryKey;
      const condition = compileFilter(st, node.filter, inner, node.relation.related);
      const link = `${column(inner, node.relation.foreignKey)} = ${column(alias, pk)}`;
      const exists = `EXISTS (SELECT 1 FROM ${st.source(node.relation.related)} AS ${ident(inner)} WHERE ${link} AND ${condition})`;
      return node.none ? `NOT ${exists}` : exists;
    }
  }
}

/**
 * Through an M2O or A2O: the related row matches, an absent one counting as all-null (LEFT JOIN semantics, so
 * `{author: {name: {_null: true}}}` matches rows without author). Conditions that no all-null row can satisfy
 * use the plain semi-join form.
 */
function relatedRowMatches(st: Statement, filter: FilterNode, inner: string, related: string, on: string): string {
  const condition = compileFilter(st, filter, inner, related);
  const source = `${st.source(related)} AS ${ident(inner)}`;
  if (rejectsNullRow(filter)) return `EXISTS (SELECT 1 FROM ${source} WHERE ${on} AND ${condition})`;
  return `EXISTS (SELECT 1 FROM (SELECT 1) AS ${ident(st.aliases.next('one'))} LEFT JOIN ${source} ON ${on} WHERE ${condition})`;
}

/** True when the filter is false (or unknown) on a row whose columns are all null. */
function rejectsNullRow(node: FilterNode): boolean {
  switch (node.kind) {
    case 'const':
      return !node.value;
    case 'and':
      return node.children.some(rejectsNullRow);
    case 'or':
      return node.children.every(rejectsNullRow);
    case 'compare':
      return node.operand.kind !== 'relatedCount' && node.op !== '_null' && node.op !== '_empty';
    case 'm2o':
    case 'a2o':
      return rejectsNullRow(node.filter);
    case 'o2m':
      return !node.none;
  }
}

/** An operand's value on the row `alias` of `collection`. */
export function compileOperand(st: Statement, operand: Operand, alias: string, collection: string): string {
  switch (operand.kind) {
    case 'column':
      return st.field(alias, collection, operand.field);
    case 'datePart':
      return datePart(operand.fn, operand.field, st.field(alias, collection, operand.field));
    case 'jsonLength':
      return jsonLength(st.field(alias, collection, operand.field));
    case 'relatedCount': {
      const inner = st.aliases.next('t');
      const pk = st.collection(collection).primaryKey;
      const link = `${column(inner, operand.relation.foreignKey)} = ${column(alias, pk)}`;
      return `(SELECT count(*) FROM ${st.source(operand.relation.related)} AS ${ident(inner)} WHERE ${link})`;
    }
    case 'jsonPath':
      return jsonPathValue(st, operand, st.field(alias, collection, operand.field));
  }
}

/**
 * The value at a JSON path (Directus's postgres json helper): `->` steps, keys bound as text and indexes inline
 * (checked digits), the last step `->>` for text. A number is taken only where the JSON value is one, so a
 * comparison with a number never fails on text.
 */
function jsonPathValue(st: Statement, operand: Extract<Operand, { kind: 'jsonPath' }>, expr: string): string {
  const step = (segment: string | number) =>
    typeof segment === 'number' ? String(segment) : st.params.add(segment, 'text');
  const steps = operand.path.map(step);
  const last = steps.pop()!;
  const parent = `(${expr})${steps.map((s) => ` -> ${s}`).join('')}`;
  switch (operand.as) {
    case 'json':
      return `${parent} -> ${last}`;
    case 'text':
      return `${parent} ->> ${last}`;
    case 'numeric': {
      const typeOf = operand.field.dbType === 'jsonb' ? 'jsonb_typeof' : 'json_typeof';
      return `CASE WHEN ${typeOf}(${parent} -> ${last}) = 'number' THEN (${parent} ->> ${last})::numeric END`;
    }
  }
}

/** A sort term's value; a path through M2O relations becomes nested scalar subqueries (no row multiplication). */
export function compileSortValue(st: Statement, sort: SortNode, alias: string, collection: string): string {
  const [first, ...rest] = sort.path;
  if (!first) return compileOperand(st, sort.operand, alias, collection);
  const inner = st.aliases.next('t');
  const value = compileSortValue(st, { ...sort, path: rest }, inner, first.related);
  if (first.kind === 'a2o') {
    const pk = st.collection(first.related).primaryKey;
    const link =
      `${column(alias, first.relation.collectionField)} = ${st.params.add(first.related, 'text')}` +
      ` AND ${column(inner, pk)}::text = ${column(alias, first.relation.field)}`;
    return `(SELECT ${value} FROM ${st.source(first.related)} AS ${ident(inner)} WHERE ${link})`;
  }
  if (first.kind === 'o2m') {
    // The first child's value in the sort's own order (null when there is none).
    const link = `${column(inner, first.foreignKey)} = ${column(alias, st.collection(collection).primaryKey)}`;
    const source = `${st.source(first.related)} AS ${ident(inner)}`;
    return `(SELECT ${value} FROM ${source} WHERE ${link} ORDER BY 1 ${sort.descending ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'} LIMIT 1)`;
  }
  const link = `${column(inner, first.relatedPrimaryKey)} = ${column(alias, first.field)}`;
  return `(SELECT ${value} FROM ${st.source(first.related)} AS ${ident(inner)} WHERE ${link})`;
}

/** Ascending puts nulls last, descending first (spec 15). */
export function orderTerm(expr: string, descending: boolean): string {
  return descending ? `${expr} DESC NULLS FIRST` : `${expr} ASC NULLS LAST`;
}

const TEXT_TYPES = ['string', 'text', 'csv', 'hash'];

/** A text column, or a JSON path read as text: compared and matched as text, `''` counting as empty. */
function isTextColumn(operand: Operand): boolean {
  if (operand.kind === 'jsonPath') return operand.as === 'text';
  return operand.kind === 'column' && TEXT_TYPES.includes(operand.field.type);
}

function compileCompare(
  st: Statement,
  node: Extract<FilterNode, { kind: 'compare' }>,
  alias: string,
  collection: string,
): string {
  const expr = compileOperand(st, node.operand, alias, collection);
  const { op, value } = node;
  switch (op) {
    case '_null':
      return `${expr} IS NULL`;
    case '_nnull':
      return `${expr} IS NOT NULL`;
    case '_empty':
      return isTextColumn(node.operand) ? `(${expr} IS NULL OR ${expr} = '')` : `${expr} IS NULL`;
    case '_nempty':
      return isTextColumn(node.operand) ? `(${expr} IS NOT NULL AND ${expr} <> '')` : `${expr} IS NOT NULL`;
  }
  if (!value) return 'FALSE';
  if (op === '_ieq' || op === '_nieq') {
    const text = textOf(node.operand, expr);
    return `lower(${text}) ${op === '_ieq' ? '=' : '<>'} lower(${st.params.add(value.values[0], 'text')})`;
  }
  if (op === '_nicontains' || isPatternOperator(op)) {
    return compilePattern(st, op, textOf(node.operand, expr), String(value.values[0]));
  }
  const compared = value.sqlType === 'text' && !isTextColumn(node.operand) ? `${expr}::text` : expr;
  return compileValueCompare(st, op, compared, value);
}

function textOf(operand: Operand, expr: string): string {
  return isTextColumn(operand) ? expr : `${expr}::text`;
}

const COMPARISON: Partial<Record<CompareOperator, string>> = {
  _eq: '=',
  _neq: '<>',
  _lt: '<',
  _lte: '<=',
  _gt: '>',
  _gte: '>=',
};

function compileValueCompare(st: Statement, op: CompareOperator, expr: string, value: TypedValue): string {
  const bind = (item: unknown) => st.params.add(item, value.sqlType);
  switch (op) {
    case '_in':
      return `${expr} = ANY(${st.params.add(value.values, `${value.sqlType}[]`)})`;
    case '_nin':
      return `${expr} <> ALL(${st.params.add(value.values, `${value.sqlType}[]`)})`;
    case '_between':
      return `${expr} BETWEEN ${bind(value.values[0])} AND ${bind(value.values[1])}`;
    case '_nbetween':
      return `${expr} NOT BETWEEN ${bind(value.values[0])} AND ${bind(value.values[1])}`;
    default:
      return `${expr} ${COMPARISON[op]!} ${bind(value.values[0])}`;
  }
}

/** LIKE with the value bound and its `%`, `_` and `\` escaped; the `i` variants compare lower-cased. */
function compilePattern(st: Statement, op: CompareOperator | '_nicontains', expr: string, value: string): string {
  const escaped = value.replace(/[\\%_]/g, (char) => `\\${char}`);
  const name = op.replace(/^_n?i?/, '');
  const pattern = name === 'contains' ? `%${escaped}%` : name === 'starts_with' ? `${escaped}%` : `%${escaped}`;
  const negated = op.startsWith('_n');
  const insensitive = /^_n?i/.test(op);
  const subject = insensitive ? `lower(${expr})` : expr;
  const param = st.params.add(pattern, 'text');
  return `${subject} ${negated ? 'NOT LIKE' : 'LIKE'} ${insensitive ? `lower(${param})` : param}`;
}

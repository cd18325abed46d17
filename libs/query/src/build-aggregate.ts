import { InvalidQueryError } from '@lib/errors';
import type { CollectionSnapshot, FieldSnapshot, FieldType } from '@lib/schema';
import type { AggregateNode, AggregateQuery, AggregateSortNode, GroupNode } from './ast';
import { parseSortTerm } from './build-sort';
import { functionOutputKey, isFunctionCall, parseFunctionCall } from './functions';
import { functionOperand } from './operands';
import { requireField } from './schema-lookup';
import type { AggregateFunction, Query } from './types';

const NUMERIC_TYPES: readonly FieldType[] = ['integer', 'bigInteger', 'float', 'decimal'];
const ORDERED_TYPES: readonly FieldType[] = [
  ...NUMERIC_TYPES,
  'string',
  'text',
  'csv',
  'hash',
  'uuid',
  'date',
  'dateTime',
  'time',
  'timestamp',
];

/** Which field types each aggregate function accepts (count and countDistinct: any column). */
function accepts(fn: AggregateFunction, type: FieldType): boolean {
  switch (fn) {
    case 'sum':
    case 'sumDistinct':
    case 'avg':
    case 'avgDistinct':
      return NUMERIC_TYPES.includes(type);
    case 'min':
    case 'max':
      return ORDERED_TYPES.includes(type);
    default:
      return true;
  }
}

/** `aggregate` + `groupBy` (spec 3): what to compute, per which groups, in which order. */
export function buildAggregate(collection: CollectionSnapshot, query: Query): AggregateQuery {
  const aggregates = Object.entries(query.aggregate ?? {}).flatMap(([fn, fields]) =>
    fields.map((name) => aggregateNode(collection, fn as AggregateFunction, name)),
  );
  const names = query.group ?? [];
  const groups = names.map((name) => groupNode(collection, name));
  const sort = groups.length === 0 ? [] : aggregateSort(collection, query.sort, aggregates, groups, names);
  return { aggregates, groups, sort };
}

function aggregateNode(collection: CollectionSnapshot, fn: AggregateFunction, name: string): AggregateNode {
  if (fn === 'countAll' || (fn === 'count' && name === '*')) return { fn, field: null };
  if (name === '*') throw new InvalidQueryError(`"${fn}" can't be applied to "*"`);
  const field = requireField(collection, name);
  if (field.alias || !accepts(fn, field.type)) {
    throw new InvalidQueryError(`Aggregate "${fn}" is not supported for field type "${field.type}"`);
  }
  return { fn, field };
}

function groupNode(collection: CollectionSnapshot, name: string): GroupNode {
  if (isFunctionCall(name)) {
    const operand = functionOperand(collection, name, undefined);
    // PostgreSQL's json has no equality: a JSON value can't be a group.
    if (operand.kind === 'jsonPath') throw new InvalidQueryError(`Can't group by "${name}"`);
    return { key: functionOutputKey(parseFunctionCall(name)), operand };
  }
  if (name.includes('.')) throw new InvalidQueryError(`Grouping by relational fields is not supported ("${name}")`);
  const field: FieldSnapshot = requireField(collection, name);
  if (field.alias || field.type === 'json') throw new InvalidQueryError(`Can't group by "${name}"`);
  return { key: name, operand: { kind: 'column', field } };
}

/** The output name of an aggregate as `sort` refers to it: `count.id`, `sum.views`, `countAll`, `count` (`*`). */
function aggregateAlias(node: AggregateNode): string {
  return node.field ? `${node.fn}.${node.field.field}` : node.fn;
}

/** Sort by group keys or aggregate aliases; default: the first group, ascending. */
function aggregateSort(
  collection: CollectionSnapshot,
  terms: readonly string[] | undefined,
  aggregates: readonly AggregateNode[],
  groups: readonly GroupNode[],
  groupNames: readonly string[],
): AggregateSortNode[] {
  if (!terms?.length) return [{ kind: 'group', index: 0, descending: false }];
  return terms.map((term) => {
    const { name, descending } = parseSortTerm(term);
    const group = groups.findIndex((node, index) => node.key === name || groupNames[index] === name);
    if (group !== -1) return { kind: 'group', index: group, descending };
    const aggregate = aggregates.findIndex((node) => aggregateAlias(node) === name);
    if (aggregate !== -1) return { kind: 'aggregate', index: aggregate, descending };
    if (isFunctionCall(name)) functionOperand(collection, name, undefined);
    else requireField(collection, name.split('.')[0]!);
    throw new InvalidQueryError(`Sort field "${name}" must be grouped or aggregated`);
  });
}

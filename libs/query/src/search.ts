import type { CollectionSnapshot, FieldSnapshot } from '@lib/schema';
import type { FilterNode } from './ast';
import { or } from './build-filter';
import { isUuid } from './values';

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * `search` (spec 2.6): an OR over the searchable fields — text by case-insensitive substring, numbers and UUIDs by
 * equality when the term is valid for the type. No qualifying field: matches nothing.
 */
export function buildSearch(collection: CollectionSnapshot, term: string): FilterNode {
  const conditions = collection.fieldOrder
    .map((name) => collection.fields[name]!)
    .filter(isSearchable)
    .flatMap((field) => searchCondition(field, term));
  return or(conditions);
}

function isSearchable(field: FieldSnapshot): boolean {
  return field.searchable && !field.alias && !field.special.includes('conceal') && field.type !== 'hash';
}

function searchCondition(field: FieldSnapshot, term: string): FilterNode[] {
  const operand = { kind: 'column', field } as const;
  switch (field.type) {
    case 'string':
    case 'text':
      return [{ kind: 'compare', operand, op: '_icontains', value: { sqlType: 'text', values: [term] } }];
    case 'integer':
    case 'bigInteger':
      return INTEGER.test(term) ? [equals(field, term)] : [];
    case 'float':
    case 'decimal':
      return DECIMAL.test(term) ? [equals(field, term)] : [];
    case 'uuid':
      return isUuid(term) ? [{ kind: 'compare', operand, op: '_eq', value: { sqlType: 'uuid', values: [term] } }] : [];
    default:
      return [];
  }
}

function equals(field: FieldSnapshot, term: string): FilterNode {
  return {
    kind: 'compare',
    operand: { kind: 'column', field },
    op: '_eq',
    value: { sqlType: 'numeric', values: [term] },
  };
}

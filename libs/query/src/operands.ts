import type { CollectionSnapshot } from '@lib/schema';
import type { Operand } from './ast';
import { functionAppliesTo, parseFunctionCall, unsupportedFunction } from './functions';
import { relationOf, requireField } from './schema-lookup';

/**
 * `year(published_at)`, `count(comments)` (related rows), `count(data)` (JSON array length), `json(data, a.b)` (the
 * JSON value there), checked by type.
 */
export function functionOperand(collection: CollectionSnapshot, key: string, path: string | undefined): Operand {
  const call = parseFunctionCall(key);
  const field = requireField(collection, call.field, path);
  const relation = relationOf(collection, field.field);
  if (call.fn === 'count' && relation?.kind === 'o2m') return { kind: 'relatedCount', relation };
  if (field.alias || !functionAppliesTo(call.fn, field.type)) throw unsupportedFunction(call.fn, field.type);
  if (call.fn === 'json') return { kind: 'jsonPath', field, path: call.path!, as: 'json' };
  return call.fn === 'count' ? { kind: 'jsonLength', field } : { kind: 'datePart', fn: call.fn, field };
}

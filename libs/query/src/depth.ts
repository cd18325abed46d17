import { InvalidQueryError } from '@lib/errors';
import { isFilterOperator } from './operators';
import { isPlainObject } from './parse-filter';
import { splitPath } from './split';
import type { Deep, Filter, Query } from './types';

/** MAX_RELATIONAL_DEPTH over fields, filter, sort and deep (spec 1.6); values below 2 count as 2. */
export function checkRelationalDepth(query: Query, maxRelationalDepth: number): void {
  const max = Math.max(2, maxRelationalDepth);
  const depth = Math.max(
    0,
    ...(query.fields ?? []).map(pathDepth),
    ...(query.sort ?? []).map(pathDepth),
    filterDepth(query.filter),
    deepDepth(query.deep),
  );
  if (depth > max) throw new InvalidQueryError('Max relational depth exceeded');
}

/** The number of segments of a dotted path; dots inside `json(field, a.b)` are part of the function. */
function pathDepth(path: string): number {
  return splitPath(path).length;
}

/** The number of field keys on the longest path through a filter. */
export function filterDepth(filter: Filter | undefined): number {
  if (!filter) return 0;
  let depth = 0;
  for (const [key, value] of Object.entries(filter)) {
    if (key === '_and' || key === '_or') {
      for (const item of value as Filter[]) depth = Math.max(depth, filterDepth(item));
    } else if (key === '_some' || key === '_none') {
      depth = Math.max(depth, filterDepth(value as Filter));
    } else if (!isFilterOperator(key)) {
      depth = Math.max(depth, 1 + (isPlainObject(value) ? filterDepth(value) : 0));
    }
  }
  return depth;
}

function deepDepth(deep: Deep | undefined): number {
  if (!deep) return 0;
  let depth = 0;
  for (const { query, deep: nested } of Object.values(deep)) {
    const below = Math.max(deepDepth(nested), filterDepth(query.filter), ...(query.sort ?? []).map(pathDepth));
    depth = Math.max(depth, 1 + below);
  }
  return depth;
}

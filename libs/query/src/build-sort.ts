import { ForbiddenError, InvalidQueryError } from '@lib/errors';
import type { CollectionSnapshot, SchemaSnapshot } from '@lib/schema';
import type { Operand, SortNode, SortStep } from './ast';
import { splitScope } from './build-filter';
import { isFunctionCall } from './functions';
import { functionOperand } from './operands';
import { splitPath } from './split';
import { joinPath, lookup, relationOf, requireCollection, requireField } from './schema-lookup';

/** A `-` prefix means descending. */
export function parseSortTerm(term: string): { name: string; descending: boolean } {
  const descending = term.startsWith('-');
  const name = descending ? term.slice(1) : term;
  if (name === '') throw new InvalidQueryError(`Invalid sort "${term}"`);
  return { name, descending };
}

/**
 * `sort` terms for one collection: fields, functions (`year(date)`, `count(comments)`) and paths through M2O
 * relations (`author.name`) and O2M relations (`comments.body`: each row sorts by its first child in the sort's
 * order, as Directus's row_number() over the joined children does). `alias` maps a root-level alias key to its field.
 */
export function buildSort(
  schema: SchemaSnapshot,
  collection: CollectionSnapshot,
  terms: readonly string[],
  path?: string,
  alias: Readonly<Record<string, string>> = {},
): SortNode[] {
  return terms.map((term) => {
    const { name, descending } = parseSortTerm(term);
    const segments = splitPath(name);
    const head = lookup(alias, segments[0]!);
    if (head !== undefined) segments[0] = head;
    return { ...resolveSortPath(schema, collection, segments, path), descending };
  });
}

function resolveSortPath(
  schema: SchemaSnapshot,
  start: CollectionSnapshot,
  segments: string[],
  startPath: string | undefined,
): { path: SortStep[]; operand: Operand } {
  const relations: SortStep[] = [];
  let collection = start;
  let path = startPath;
  for (const segment of segments.slice(0, -1)) {
    if (segment.includes(':')) {
      // `item:circles` — an any-to-one crossed into one of its allowed collections.
      const [name, target] = splitScope(segment);
      const field = requireField(collection, name, path);
      const relation = relationOf(collection, field.field);
      if (relation?.kind !== 'a2o') throw new InvalidQueryError(`Field "${name}" is not a many-to-any relation`);
      path = joinPath(path, segment);
      if (!relation.allowedCollections.includes(target)) throw ForbiddenError.collection(target, path);
      relations.push({ kind: 'a2o', relation, related: target });
      collection = requireCollection(schema, target, path);
      continue;
    }
    const field = requireField(collection, segment, path);
    const relation = relationOf(collection, field.field);
    const hidden = collection.hiddenRelations?.[field.field];
    if (hidden) throw ForbiddenError.collection(hidden, joinPath(path, segment));
    if (relation?.kind !== 'm2o' && relation?.kind !== 'o2m') {
      throw new InvalidQueryError(`Sorting through "${segment}" is not supported`);
    }
    relations.push(relation);
    path = joinPath(path, segment);
    collection = requireCollection(schema, relation.related, path);
  }
  return { path: relations, operand: sortOperand(collection, segments[segments.length - 1]!, path) };
}

export function sortOperand(collection: CollectionSnapshot, name: string, path: string | undefined): Operand {
  if (isFunctionCall(name)) {
    const operand = functionOperand(collection, name, path);
    // json(): ordered as text, as Directus orders it.
    return operand.kind === 'jsonPath' ? { ...operand, as: 'text' } : operand;
  }
  const field = requireField(collection, name, path);
  // Alias fields have no column; json has no ordering operator.
  if (field.alias || field.type === 'json') throw new InvalidQueryError(`Can't sort by "${name}"`);
  return { kind: 'column', field };
}

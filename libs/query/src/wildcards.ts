import type { CollectionSnapshot, RelationSnapshot } from '@lib/schema';
import { hiddenRelationOf, lookup } from './schema-lookup';

/**
 * Expands `*` and `*.<rest>` for one collection (spec 3, Directus convertWildcards):
 * `*` → every field plus the alias keys; `*.<rest>` → `<relational>.<rest>` for each relational field, the other
 * fields as they are, and alias keys (relational ones with `.<rest>`). With `backlink: false` the relation the level
 * was reached through is not expanded again. A relation into a collection the role can't read is relational too
 * (Directus looks relations up in the whole schema), so `*.*` asks for it nested, and the nested request is then left
 * out: `*.*` drops such an M2O altogether, its raw key included, as Directus does.
 */
export function expandWildcards(
  collection: CollectionSnapshot,
  fields: readonly string[],
  alias: Readonly<Record<string, string>>,
  parentRelation: RelationSnapshot | null,
  backlink: boolean,
): string[] {
  const all = collection.fieldOrder;
  const aliasKeys = Object.keys(alias);
  return fields.flatMap((field) => {
    if (field === '*') return [...all, ...aliasKeys];
    if (!field.startsWith('*.')) return [field];
    const rest = field.slice(2);
    const relational = all.filter((name) => {
      const relation = lookup(collection.relations, name);
      if (relation === undefined) return hiddenRelationOf(collection, name) !== undefined;
      return backlink || relation.relation !== parentRelation;
    });
    const plain = all.filter((name) => !relational.includes(name));
    const aliases = aliasKeys.map((key) => (relational.includes(alias[key]!) ? `${key}.${rest}` : key));
    return [...relational.map((name) => `${name}.${rest}`), ...plain, ...aliases];
  });
}

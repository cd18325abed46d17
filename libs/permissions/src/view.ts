import type { AccessMap } from '@lib/query';
import type { CollectionSnapshot, RelationInfo, SchemaSnapshot } from '@lib/schema';

/**
 * What one caller may read, as reads and every transport need it: the schema cut to the role's readable collections
 * and fields, and the item filters and field cases the compiler applies per readable collection. GraphQL builds its
 * per-role schema from `schema`; realtime groups subscribers by view.
 */
export interface ReadView {
  /** The schema cut to what the role may read ({@link restrictSnapshot}). */
  readonly schema: SchemaSnapshot;
  /** Item filters and field cases per readable collection, compiled into the statement. */
  readonly access: AccessMap;
  /**
   * This same object serves the caller's later reads: its rules hold no value of the clock (`$NOW`) or of a record
   * (`$CURRENT_USER.<field>`), so what is compiled against it may be reused too, until access data or the schema
   * change (either gives a new view).
   */
  readonly stable: boolean;
}

/** Which fields of a collection a role may read: '*' (all), a set, or null (the collection is not readable). */
export type ReadableFields = (collection: string) => '*' | ReadonlySet<string> | null;

/**
 * The schema as one role may read it: unreadable collections removed, each collection's fields cut to its allowed
 * fields, and relations kept only when their field and their target are readable (M2A targets filtered). Building
 * a read against this view gives Directus's behaviour for free: a forbidden field looks exactly like a missing one
 * (403 "… or it does not exist"), `*` expands to allowed fields only, and relations into unreadable collections
 * are not expanded. The primary key always stays, as the compiler joins on it.
 */
export function restrictSnapshot(schema: SchemaSnapshot, readable: ReadableFields): SchemaSnapshot {
  const allowed = new Map<string, '*' | ReadonlySet<string>>();
  for (const name of Object.keys(schema.collections)) {
    const fields = readable(name);
    if (fields) allowed.set(name, fields);
  }
  const collections: Record<string, CollectionSnapshot> = {};
  for (const [name, fields] of allowed) {
    const c = schema.collections[name];
    const allowedField = (field: string) => fields === '*' || fields.has(field);
    const keep = (field: string) => field === c.primaryKey || allowedField(field);
    const relations: Record<string, RelationInfo> = {};
    const hiddenRelations: Record<string, string> = {};
    for (const [field, info] of Object.entries(c.relations)) {
      if (!keep(field)) continue;
      if (info.kind === 'a2o') {
        const targets = info.allowedCollections.filter((t) => allowed.has(t));
        relations[field] = { ...info, allowedCollections: targets };
      } else if (allowed.has(info.related)) {
        relations[field] = info;
      } else {
        hiddenRelations[field] = info.related;
      }
    }
    // An alias field is only its relation: without a readable target it disappears.
    const visible = c.fieldOrder.filter((f) => keep(f) && (!c.fields[f].alias || relations[f]));
    // The primary key stays addressable (the compiler joins and looks keys up on it) but `*` only expands to it
    // when it is allowed.
    const fieldOrder = visible.filter((f) => allowedField(f));
    collections[name] = Object.freeze({
      ...c,
      fields: Object.freeze(Object.fromEntries(visible.map((f) => [f, c.fields[f]]))),
      fieldOrder: Object.freeze(fieldOrder),
      relations: Object.freeze(relations),
      hiddenRelations: Object.freeze(hiddenRelations),
    });
  }
  return Object.freeze({
    version: schema.version,
    collections: Object.freeze(collections),
    relations: Object.freeze(
      schema.relations.filter(
        (r) => collections[r.collection] && (!r.related_collection || collections[r.related_collection]),
      ),
    ),
  });
}

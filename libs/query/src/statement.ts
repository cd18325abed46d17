import type { CollectionSnapshot, FieldSnapshot, SchemaSnapshot } from '@lib/schema';
import type { AccessMap, FilterNode } from './ast';
import { lookup } from './schema-lookup';
import { Aliases, column, ident, Params } from './sql';

/** Compiles a filter relative to a table alias of a collection (see compile-filter). */
export type FilterCompiler = (statement: Statement, node: FilterNode, alias: string, collection: string) => string;

/**
 * State shared while one statement is compiled: bound parameters, generated aliases and the two permission hooks.
 * Every read of a collection's rows goes through {@link source}; every read of a field's value through {@link field}.
 */
export class Statement {
  readonly params = new Params();
  readonly aliases = new Aliases();
  /** The index in `params` of a single read's key (see CompiledRead.keyParam). */
  keyParam: number | null = null;
  /** Inside a permission condition: read tables and columns unrestricted (no recursion through permissions). */
  private unrestricted = false;

  constructor(
    readonly schema: SchemaSnapshot,
    private readonly access: AccessMap | undefined,
    private readonly compileFilter: FilterCompiler,
  ) {}

  collection(name: string): CollectionSnapshot {
    return this.schema.collections[name]!;
  }

  /**
   * The rows of `collection` the reader may see: the quoted table, or — when libs/permissions set an item filter —
   * `(SELECT * FROM "t" WHERE <filter>)`, so that a hidden row is absent everywhere (root, relations, filters, sorts,
   * counts, deep). `rows`: where the rows come from, the table unless a CTE of written rows stands in for it.
   */
  source(collection: string, rows = ident(collection)): string {
    const itemFilter = this.accessOf(collection)?.itemFilter;
    if (!itemFilter) return rows;
    const alias = this.aliases.next('p');
    const condition = this.asUnrestricted(() => this.compileFilter(this, itemFilter, alias, collection));
    return `(SELECT * FROM ${rows} AS ${ident(alias)} WHERE ${condition})`;
  }

  /** A field's value on a row: the column, or `CASE WHEN <case> THEN col END` when it is readable on some rows only. */
  field(alias: string, collection: string, field: FieldSnapshot): string {
    const raw = column(alias, field.field);
    const fieldCase = this.accessOf(collection)?.fieldCases;
    const condition = fieldCase ? lookup(fieldCase, field.field) : undefined;
    if (!condition) return raw;
    const sql = this.asUnrestricted(() => this.compileFilter(this, condition, alias, collection));
    return `CASE WHEN ${sql} THEN ${raw} END`;
  }

  private accessOf(collection: string) {
    return this.unrestricted || !this.access ? undefined : lookup(this.access, collection);
  }

  private asUnrestricted(compile: () => string): string {
    const previous = this.unrestricted;
    this.unrestricted = true;
    try {
      return compile();
    } finally {
      this.unrestricted = previous;
    }
  }
}

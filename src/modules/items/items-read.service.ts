import { Inject, Injectable } from '@nestjs/common';
import { ForbiddenError } from '@lib/errors';
import {
  buildReadAst,
  compileRead,
  compileWriteAndReadBack,
  readOneKey,
  sanitizeQuery,
  type CompiledRead,
  type Query,
  type QueryLimits,
  type ReadAst,
  type ReadOptions,
  type WriteStatement,
} from '@lib/query';
import type { CollectionSnapshot, SchemaSnapshot } from '@lib/schema';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import type { ItemsContext } from '../../core/context/items-context';
import { Database } from '../../core/database/database.service';
import type { ReadView } from '@lib/permissions';
import { ItemsAccess } from '../permissions/items-access.service';
import { shapeKey, StatementCache } from './statement-cache';

/** A read's result: `data` is JSON text produced by PostgreSQL (ItemsResult turns it into values on demand). */
export interface ReadResult {
  readonly data: string;
  readonly meta?: { total_count?: number; filter_count?: number };
}

/** A folded re-read compiled once per shape: its SQL, and its own parameters (after the write's); null: not folded. */
type ReadBackEntry = { sql: string; readParams: unknown[] } | null;

interface Row {
  data: string | null;
  total_count?: string | number | null;
  filter_count?: string | number | null;
}

/**
 * Reads for every transport: sanitize (libs/query) → AST against the snapshot → one SQL statement → one round trip.
 * The statement returns the whole JSON tree, already formatted as Directus formats it.
 */
@Injectable()
export class ItemsReadService {
  private readonly limits: QueryLimits;
  private readonly reads = new StatementCache<CompiledRead>();
  private readonly readBacks = new StatementCache<ReadBackEntry>();

  constructor(
    private readonly db: Database,
    private readonly access: ItemsAccess,
    @Inject(CONFIG) config: Config,
  ) {
    this.limits = {
      defaultLimit: config.queryLimitDefault,
      maxLimit: config.queryLimitMax,
      maxRelationalDepth: config.maxRelationalDepth,
    };
  }

  /** Parses URL parameters (qs-parsed) or a SEARCH body `query` into a sanitized query. */
  sanitize(ctx: ItemsContext, raw: unknown): Query {
    return sanitizeQuery(raw ?? {}, this.access.queryContext(ctx.accountability), this.limits);
  }

  /** The collection a read or write works on, in the request's snapshot; unknown names are 403 (spec 1.1). */
  collection(ctx: ItemsContext, name: string): CollectionSnapshot {
    const collection = ctx.schema.collections[name];
    if (!collection) throw ForbiddenError.collection(name);
    return collection;
  }

  async readByQuery(ctx: ItemsContext, collection: string, query: Query): Promise<ReadResult> {
    this.collection(ctx, collection);
    return this.run(ctx, collection, query, { mode: 'list', limits: this.limits });
  }

  /** SEARCH with `keys` / readMany: rows in the default (or requested) sort; unreadable keys are left out. */
  async readMany(
    ctx: ItemsContext,
    collection: string,
    keys: readonly (string | number)[],
    query: Query,
  ): Promise<ReadResult> {
    this.collection(ctx, collection);
    return this.run(ctx, collection, query, { mode: 'list', keys: [...keys], limits: this.limits });
  }

  /** One item; missing or unreadable → bare 403 (spec 1.4). */
  async readOne(ctx: ItemsContext, collection: string, id: string | number, query: Query): Promise<ReadResult> {
    this.collection(ctx, collection);
    const result = await this.run(
      ctx,
      collection,
      { ...query, meta: undefined },
      { mode: 'single', id, limits: this.limits },
    );
    if (result.data === 'null') throw new ForbiddenError();
    return result;
  }

  /**
   * readOne of the row that `write` (one `INSERT/UPDATE … RETURNING *`) writes, compiled into the same statement
   * (libs/query compileWriteAndReadBack), or null when the read can't be folded into it.
   */
  async compileReadBack(
    ctx: ItemsContext,
    collection: string,
    query: Query,
    write: WriteStatement,
  ): Promise<CompiledRead | null> {
    const schema = ctx.schema;
    const view = await ctx.readView();
    const scope = cacheScope(schema, view);
    const readQuery = { ...query, meta: undefined };
    const key = scope ? shapeKey(['back', collection, write.sql], readQuery) : null;
    let entry = key === null ? undefined : this.readBacks.get(scope!, key);
    if (entry === undefined) {
      const ast = this.buildAst(schema, view, collection, readQuery, { mode: 'single', limits: this.limits });
      const compiled = compileWriteAndReadBack(write, ast, schema);
      entry = compiled && { sql: compiled.sql, readParams: compiled.params.slice(write.params.length) };
      if (key !== null) this.readBacks.set(scope!, key, entry);
    }
    return entry && { sql: entry.sql, params: [...write.params, ...entry.readParams] };
  }

  /** The singleton's row, or (empty table) the PK as null plus every field with a non-null default (spec 1.2). */
  async readSingleton(ctx: ItemsContext, collection: string, query: Query): Promise<ReadResult> {
    const snapshot = this.collection(ctx, collection);
    const result = await this.run(
      ctx,
      collection,
      { ...query, meta: undefined },
      { mode: 'singleton', limits: this.limits },
    );
    if (result.data !== 'null') return result;
    return { data: JSON.stringify(singletonDefaults(snapshot, query)) };
  }

  /**
   * One read = one statement. Non-admins build the AST against their view of the schema (forbidden fields and
   * collections look missing) and the compiler applies every readable collection's item filter and field cases.
   */
  private async run(ctx: ItemsContext, collection: string, query: Query, options: ReadOptions): Promise<ReadResult> {
    const { sql, params } = await this.compile(ctx, collection, query, options);
    const [row] = await this.db.query<Row>(sql, params, { prepare: true });
    const data = row?.data ?? (options.mode === 'list' ? '[]' : 'null');
    if (!query.meta?.length || options.mode !== 'list') return { data };
    const meta: NonNullable<ReadResult['meta']> = {};
    if (query.meta.includes('total_count')) meta.total_count = Number(row?.total_count ?? 0);
    if (query.meta.includes('filter_count')) meta.filter_count = Number(row?.filter_count ?? 0);
    return { data, meta };
  }

  /**
   * The statement of a read, compiled once per query shape and reused when it depends on nothing but the query and
   * a scope that outlives the request (the schema for admins, a stable read view for others: see cacheScope): as is
   * for lists, with the key swapped in (checked as the AST checks it) for readOne.
   */
  private async compile(
    ctx: ItemsContext,
    collection: string,
    query: Query,
    options: ReadOptions,
  ): Promise<CompiledRead> {
    const schema = ctx.schema;
    const view = await ctx.readView();
    const scope = cacheScope(schema, view);
    const key = scope && !options.keys ? shapeKey([options.mode, collection], query) : null;
    const cached = key === null ? undefined : this.reads.get(scope!, key);
    if (cached?.keyParam !== undefined) {
      const id = readOneKey(schema.collections[collection]!, options.id);
      if (id !== null) {
        const params = cached.params.slice();
        params[cached.keyParam] = id;
        return { sql: cached.sql, params };
      }
    } else if (cached && options.mode !== 'single') {
      return cached;
    }
    const compiled = compileRead(this.buildAst(schema, view, collection, query, options), schema);
    if (key !== null && (options.mode !== 'single' || compiled.keyParam !== undefined)) {
      this.reads.set(scope!, key, compiled);
    }
    return compiled;
  }

  /** The read AST as this caller sees `schema` (forbidden fields and collections look missing). */
  private buildAst(
    schema: SchemaSnapshot,
    view: ReadView | null,
    collection: string,
    query: Query,
    options: ReadOptions,
  ): ReadAst {
    if (view && !view.schema.collections[collection]) throw ForbiddenError.collection(collection);
    const built = buildReadAst(view?.schema ?? schema, collection, query, options);
    return view ? { ...built, access: view.access } : built;
  }
}

/**
 * What a compiled statement may be kept against: the schema snapshot for an admin (nothing else shapes the
 * statement), the read view for a caller whose view is stable (it is then reused for that caller, and replaced when
 * access data or the schema change), else nothing: the statement is compiled for this request only.
 */
function cacheScope(schema: SchemaSnapshot, view: ReadView | null): object | null {
  if (!view) return schema;
  return view.stable ? view : null;
}

function singletonDefaults(collection: CollectionSnapshot, query: Query): Record<string, unknown> {
  const requested = query.fields && !query.fields.includes('*') ? new Set(query.fields) : null;
  const out: Record<string, unknown> = {};
  for (const name of collection.fieldOrder) {
    const field = collection.fields[name];
    if (requested && !requested.has(name)) continue;
    if (field.primaryKey) out[name] = null;
    else if (!field.alias && field.defaultValue !== null && field.defaultValue !== undefined)
      out[name] = field.defaultValue;
  }
  return out;
}

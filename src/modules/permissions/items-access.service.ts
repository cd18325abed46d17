import { Inject, Injectable } from '@nestjs/common';
import { ErrorList, ForbiddenError } from '@lib/errors';
import {
  restrictSnapshot,
  validatePayload,
  type EffectivePermission,
  type PermissionAction,
  type ReadView,
} from '@lib/permissions';
import {
  buildFilter,
  buildReadAst,
  compileRead,
  parseFilter,
  resolveDynamicVariable,
  type CollectionAccess,
  type QueryContext,
} from '@lib/query';
import type { CollectionSnapshot, SchemaSnapshot } from '@lib/schema';
import type { Accountability } from '../../core/context/accountability';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { Database } from '../../core/database/database.service';
import { PermissionsService, type PermissionSet } from './permissions.service';

export type { ReadView };

type Row = Record<string, unknown>;

/**
 * Applies effective permissions to items reads and writes (spec 6.3). Admins bypass everything. Reads: build the
 * AST against the role's view of the schema and hand the compiler every readable collection's item filter, so hidden
 * rows are absent everywhere (root, relations, filters, sorts, counts, aggregates, deep). Writes: per row and per
 * field, at every nesting level, with presets and validation.
 */
@Injectable()
export class ItemsAccess {
  /** Per permission set (replaced whenever access data changes), the view of the current schema snapshot. */
  private readonly views = new WeakMap<PermissionSet, { schema: SchemaSnapshot; view: SchemaSnapshot }>();
  /** Per permission set and schema snapshot, each caller's stable read view (see ReadView.stable). */
  private readonly readViews = new WeakMap<PermissionSet, WeakMap<SchemaSnapshot, Map<string, ReadView>>>();

  constructor(
    private readonly permissions: PermissionsService,
    private readonly db: Database,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  queryContext(accountability: Accountability): QueryContext {
    return {
      now: new Date(),
      user: accountability.user,
      role: accountability.role,
      roles: [...accountability.roles],
      policies: [...accountability.policies],
    };
  }

  /** null for admins (no restriction). */
  async readView(accountability: Accountability, schema: SchemaSnapshot): Promise<ReadView | null> {
    if (accountability.admin) return null;
    const set = await this.permissions.forAccountability(accountability);
    const caller = callerKey(accountability);
    const known = this.readViews.get(set)?.get(schema)?.get(caller);
    if (known) return known;
    const view = this.restricted(schema, set);
    const sources = Object.keys(view.collections).map((c) => {
      const read = set.get(schema, c, 'read')!;
      return [read.itemFilter, read.fieldCases];
    });
    // Bare $CURRENT_USER, $CURRENT_ROLE(S) and $CURRENT_POLICIES are the caller's identity, which the key names.
    const stable = variableStrings(sources).every((v) => /^\$CURRENT_(USER|ROLES?|POLICIES)$/.test(v));
    const ctx = await this.contextFor(accountability, schema, sources);
    const access: Record<string, CollectionAccess> = {};
    for (const collection of Object.keys(view.collections)) {
      const read = set.get(schema, collection, 'read')!;
      const fieldCases = Object.fromEntries(
        Object.entries(read.fieldCases).map(([field, filter]) => [
          field,
          this.filterNode(schema, collection, filter, ctx),
        ]),
      );
      if (!read.itemFilter && Object.keys(fieldCases).length === 0) continue;
      access[collection] = {
        itemFilter: read.itemFilter ? this.filterNode(schema, collection, read.itemFilter, ctx) : null,
        fieldCases,
      };
    }
    const built: ReadView = { schema: view, access, stable };
    if (stable) this.remember(set, schema, caller, built);
    return built;
  }

  private remember(set: PermissionSet, schema: SchemaSnapshot, caller: string, view: ReadView): void {
    let bySchema = this.readViews.get(set);
    if (!bySchema) this.readViews.set(set, (bySchema = new WeakMap()));
    let callers = bySchema.get(schema);
    if (!callers) bySchema.set(schema, (callers = new Map()));
    if (callers.size >= MAX_VIEWS_PER_SET) callers.delete(callers.keys().next().value!);
    callers.set(caller, view);
  }

  /** The effective permission for a write, or 403 with the collection message when none is granted. */
  async writePermission(
    accountability: Accountability,
    schema: SchemaSnapshot,
    collection: string,
    action: Exclude<PermissionAction, 'read' | 'share'>,
  ): Promise<EffectivePermission | null> {
    if (accountability.admin) return null;
    const set = await this.permissions.forAccountability(accountability);
    const permission = set.get(schema, collection, action);
    if (!permission) throw ForbiddenError.collection(collection);
    if (!hasVariables([permission.presets, permission.validation])) return permission;
    // Dynamic variables in presets and validation resolve now, for this caller (spec 2.4).
    const ctx = await this.contextFor(accountability, schema, [permission.presets, permission.validation]);
    return {
      ...permission,
      presets: resolveValues(permission.presets, ctx) as Row,
      validation: resolveValues(permission.validation, ctx) as Row[],
    };
  }

  /** Every field of the payload must be allowed for the action (403 naming the first one that is not). */
  checkFields(permission: EffectivePermission | null, collection: CollectionSnapshot, payload: Row): void {
    const allowed = permission?.fields;
    if (!allowed || allowed === '*') return;
    const denied = Object.keys(payload).find((f) => collection.fields[f] && !allowed.has(f));
    if (denied !== undefined) throw ForbiddenError.field(denied, collection.collection);
  }

  /** Payload fields must be allowed; presets fill what the payload leaves out; validation rules are AND-ed. */
  checkPayload(
    permission: EffectivePermission | null,
    collection: CollectionSnapshot,
    payload: Row,
    action: 'create' | 'update',
  ): Row {
    if (!permission) return payload;
    this.checkFields(permission, collection, payload);
    const merged = action === 'create' ? { ...permission.presets, ...payload } : payload;
    const errors = validatePayload(permission.validation, merged, action);
    if (errors.length) throw new ErrorList(errors);
    return merged;
  }

  /**
   * Every key must be a row the permission's item filter selects (one statement through the read compiler);
   * otherwise the whole request fails with Directus's 403 for the action (spec 15).
   */
  async assertRows(
    permission: EffectivePermission | null,
    schema: SchemaSnapshot,
    collection: CollectionSnapshot,
    keys: readonly (string | number)[],
    accountability: Accountability,
    fields: string[],
  ): Promise<void> {
    if (!permission?.itemFilter || keys.length === 0) return;
    const matching = await this.keysMatching(schema, collection, keys, permission.itemFilter, accountability);
    if (matching.size === new Set(keys.map(String)).size) return;
    const names = fields.length ? fields : [collection.primaryKey];
    throw new ForbiddenError(
      `You don't have permissions to perform "${permission.action}" for the field(s) ${names.map((f) => `"${f}"`).join(', ')} in collection "${collection.collection}" or it does not exist.`,
    );
  }

  /** The keys among `keys` whose rows match `filter` (a raw permission filter, dynamic variables resolved). */
  private async keysMatching(
    schema: SchemaSnapshot,
    collection: CollectionSnapshot,
    keys: readonly (string | number)[],
    filter: Row,
    accountability: Accountability,
  ): Promise<Set<string>> {
    const limits = { defaultLimit: keys.length, maxLimit: null, maxRelationalDepth: this.config.maxRelationalDepth };
    const ctx = await this.contextFor(accountability, schema, [filter]);
    const ast = buildReadAst(
      schema,
      collection.collection,
      { fields: [collection.primaryKey], filter: parseFilter(filter, ctx), limit: -1 },
      { mode: 'list', keys: [...keys], limits },
    );
    const { sql, params } = compileRead(ast, schema);
    const [row] = await this.db.query<{ data: string }>(sql, params);
    const rows = JSON.parse(row?.data ?? '[]') as Row[];
    return new Set(rows.map((r) => String(r[collection.primaryKey])));
  }

  /** The permission's item filter for update/delete by query: the role only touches rows it may change. */
  async scopeFilter(
    accountability: Accountability,
    schema: SchemaSnapshot,
    collection: string,
    action: 'update' | 'delete',
    filter: Row | undefined,
  ): Promise<Row | undefined> {
    const permission = await this.writePermission(accountability, schema, collection, action);
    if (!permission?.itemFilter) return filter;
    const own = parseFilter(
      permission.itemFilter,
      await this.contextFor(accountability, schema, [permission.itemFilter]),
    );
    return filter ? { _and: [filter, own] } : own;
  }

  /**
   * The query context for permission rules: `$CURRENT_USER.<path>`, `$CURRENT_ROLE.<path>`, `$CURRENT_ROLES.<path>`
   * and `$CURRENT_POLICIES.<path>` found in `sources` are prefetched with a full (admin) read of the user, role(s)
   * or policies — one statement per variable, relational paths included — and served by `resolveVariable`.
   */
  private async contextFor(
    accountability: Accountability,
    schema: SchemaSnapshot,
    sources: unknown[],
  ): Promise<QueryContext> {
    const ctx: QueryContext = { ...this.queryContext(accountability), permissionRule: true };
    const wanted = new Map<string, Set<string>>();
    for (const text of variableStrings(sources)) {
      const match = /^\$(CURRENT_USER|CURRENT_ROLES|CURRENT_ROLE|CURRENT_POLICIES)\.(.+)$/s.exec(text);
      if (!match) continue;
      if (!wanted.has(match[1])) wanted.set(match[1], new Set());
      wanted.get(match[1])!.add(match[2]);
    }
    if (wanted.size === 0) return ctx;
    const values = new Map<string, unknown>();
    for (const [variable, paths] of wanted) {
      const target = VARIABLE_TARGETS[variable];
      const keys = (
        variable === 'CURRENT_USER'
          ? [ctx.user]
          : variable === 'CURRENT_ROLE'
            ? [ctx.role]
            : variable === 'CURRENT_ROLES'
              ? ctx.roles
              : ctx.policies
      ).filter((k): k is string => typeof k === 'string');
      const many = variable === 'CURRENT_ROLES' || variable === 'CURRENT_POLICIES';
      let records: Row[] = [];
      if (keys.length && schema.collections[target]) {
        try {
          const limits = {
            defaultLimit: keys.length,
            maxLimit: null,
            maxRelationalDepth: this.config.maxRelationalDepth,
          };
          const ast = buildReadAst(schema, target, { fields: [...paths], limit: -1 }, { mode: 'list', keys, limits });
          const { sql, params } = compileRead(ast, schema);
          const [row] = await this.db.query<{ data: string }>(sql, params);
          records = JSON.parse(row?.data ?? '[]') as Row[];
        } catch {
          records = []; // an unknown path resolves to null, as Directus does
        }
      }
      for (const path of paths) {
        const picked = records.map((r) => pick(r, path.split('.')));
        values.set(`$${variable}.${path}`, many ? picked.flat() : (picked[0] ?? null));
      }
    }
    return { ...ctx, resolveVariable: (v) => values.get(v) ?? null };
  }

  private restricted(schema: SchemaSnapshot, set: PermissionSet): SchemaSnapshot {
    const cached = this.views.get(set);
    if (cached?.schema === schema) return cached.view;
    const view = restrictSnapshot(schema, (c) => set.get(schema, c, 'read')?.fields ?? null);
    this.views.set(set, { schema, view });
    return view;
  }

  private filterNode(schema: SchemaSnapshot, collection: string, filter: Row, ctx: QueryContext) {
    return buildFilter(schema, collection, parseFilter(filter, ctx));
  }
}

/** Callers whose views are kept per permission set (the oldest is dropped first); their statements share one bound. */
const MAX_VIEWS_PER_SET = 1000;

/** What a read view may depend on besides the permission set: who is asking. */
function callerKey(accountability: Accountability): string {
  const { user, role, roles, policies } = accountability;
  return `${user ?? ''}|${role ?? ''}|${roles.join(',')}|${policies.join(',')}`;
}

const VARIABLE_TARGETS: Record<string, string> = {
  CURRENT_USER: 'directus_users',
  CURRENT_ROLE: 'directus_roles',
  CURRENT_ROLES: 'directus_roles',
  CURRENT_POLICIES: 'directus_policies',
};

/** Every string in the (JSON) values that names a dynamic variable, walked iteratively. */
function variableStrings(values: unknown[]): string[] {
  const out: string[] = [];
  const stack = [...values];
  while (stack.length) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (value.startsWith('$')) out.push(value);
    } else if (typeof value === 'object' && value !== null) stack.push(...Object.values(value));
  }
  return out;
}

function hasVariables(values: unknown[]): boolean {
  return variableStrings(values).length > 0;
}

/** Resolves dynamic variables in every value of a preset object / validation rule list. */
function resolveValues(value: unknown, ctx: QueryContext): unknown {
  if (typeof value === 'string') {
    const resolved = resolveDynamicVariable(value, ctx);
    return resolved instanceof Date ? resolved.toISOString() : resolved;
  }
  if (Array.isArray(value)) return value.map((v) => resolveValues(v, ctx));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValues(v, ctx)]));
  }
  return value;
}

/** The value at `path` in a read result (arrays of related rows map element-wise). */
function pick(value: unknown, path: string[]): unknown {
  if (path.length === 0) return value;
  if (Array.isArray(value)) return value.map((v) => pick(v, path));
  if (typeof value !== 'object' || value === null) return null;
  return pick((value as Row)[path[0]], path.slice(1));
}

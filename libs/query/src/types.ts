/** The sanitized Directus read query (spec 1.6) and what it is evaluated against. Pure data. */

/** What dynamic filter variables resolve against (spec 2.4). */
export interface QueryContext {
  now: Date;
  user: string | null;
  role: string | null;
  roles: string[];
  policies: string[];
  /**
   * Values for `$CURRENT_USER.some.path`, `$CURRENT_ROLE.x`, ... fetched by the server. Receives the whole variable
   * (`'$CURRENT_USER.name'`); an unknown path should return null. Without the hook such variables resolve to null.
   */
  resolveVariable?: (variable: string) => unknown;
  /**
   * The filter is a permission rule. Directus validates the list operators of a query (a dynamic variable resolving
   * to no values, `{_in: '$CURRENT_ROLES'}` for a role-less user, is a 400) but not those of a rule, where an empty
   * list just matches nothing (`_nin`: everything).
   */
  permissionRule?: boolean;
}

export interface QueryLimits {
  /** QUERY_LIMIT_DEFAULT (100). */
  defaultLimit: number;
  /** QUERY_LIMIT_MAX; null when unset. */
  maxLimit: number | null;
  /** MAX_RELATIONAL_DEPTH (10); values below 2 count as 2. */
  maxRelationalDepth: number;
}

export const META_KINDS = ['total_count', 'filter_count'] as const;
export type MetaKind = (typeof META_KINDS)[number];

export const AGGREGATE_FUNCTIONS = [
  'count',
  'countDistinct',
  'countAll',
  'sum',
  'sumDistinct',
  'avg',
  'avgDistinct',
  'min',
  'max',
] as const;
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

/** A filter as Directus writes it, after parsing: `{field: {_op: value}}`, `{_and: [...]}`, relational nesting. */
export type Filter = { readonly [key: string]: unknown };

/** The part of a query that `deep` may set per relation (spec 3). */
export interface SubQuery {
  filter?: Filter;
  sort?: string[];
  limit?: number;
  offset?: number;
  page?: number;
  search?: string;
}

/** `deep`: per relation key (a field, an alias or `field:collection` for M2A) its sub-query and nested levels. */
export type Deep = { readonly [key: string]: DeepEntry };
export interface DeepEntry {
  query: SubQuery;
  deep: Deep;
}

export interface Query extends SubQuery {
  fields?: string[];
  meta?: MetaKind[];
  deep?: Deep;
  alias?: Record<string, string>;
  aggregate?: Partial<Record<AggregateFunction, string[]>>;
  /** `groupBy` */
  group?: string[];
  backlink?: boolean;
}

export interface ReadOptions {
  mode: 'list' | 'single' | 'singleton';
  /** SEARCH `keys` / readMany: only these primary keys, in the default (or requested) order. */
  keys?: (string | number)[];
  /** readOne. */
  id?: string | number;
  limits: QueryLimits;
}

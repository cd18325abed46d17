/**
 * The validated read AST: every name in it has been checked against the schema snapshot, every value typed.
 * Produced by buildReadAst, consumed by compileRead; libs/permissions may rewrite it in between (see `access`).
 */
import type { FieldSnapshot, RelationInfo } from '@lib/schema';
import type { CompareOperator } from './operators';
import type { DateFunction } from './functions';
import type { JsonPathSegment } from './json-path';
import type { AggregateFunction, MetaKind } from './types';

export type M2oRelation = Extract<RelationInfo, { kind: 'm2o' }>;
export type O2mRelation = Extract<RelationInfo, { kind: 'o2m' }>;
export type A2oRelation = Extract<RelationInfo, { kind: 'a2o' }>;

/** A value read from one row of the scope's collection. */
export type Operand =
  | { readonly kind: 'column'; readonly field: FieldSnapshot }
  | { readonly kind: 'datePart'; readonly fn: DateFunction; readonly field: FieldSnapshot }
  /** `count(json_field)`: the length of a JSON array. */
  | { readonly kind: 'jsonLength'; readonly field: FieldSnapshot }
  /** `count(o2m_field)`: the number of related rows. */
  | { readonly kind: 'relatedCount'; readonly relation: O2mRelation }
  /**
   * `json(field, path)` and `_json`: the value at `path` in a JSON column — as JSON (selected), as text (sorted,
   * compared with strings) or as a number (compared with numbers; null when the value there is not a number).
   * Missing keys and indexes read as null.
   */
  | {
      readonly kind: 'jsonPath';
      readonly field: FieldSnapshot;
      readonly path: readonly JsonPathSegment[];
      readonly as: 'json' | 'text' | 'numeric';
    };

/**
 * A value to compare with, already checked for the operand's type. `sqlType` is the cast the compiler binds it with;
 * `values` has one element except for the list operators.
 */
export interface TypedValue {
  readonly sqlType: SqlValueType;
  readonly values: readonly (string | number | boolean)[];
}
export type SqlValueType =
  | 'text'
  | 'numeric'
  | 'int8'
  | 'float4'
  | 'boolean'
  | 'uuid'
  | 'date'
  | 'timestamp'
  | 'timestamptz'
  | 'time';

/** Operators only `_json` compiles (no field type's allow-list has them, spec 2.1). */
export type JsonOnlyOperator = '_ieq' | '_nieq' | '_nicontains';

export type FilterNode =
  | { readonly kind: 'and' | 'or'; readonly children: readonly FilterNode[] }
  | { readonly kind: 'const'; readonly value: boolean }
  /** `value` is null for the null operators (`_null`, `_nnull`, `_empty`, `_nempty`) and `_eq/_neq: null`. */
  | {
      readonly kind: 'compare';
      readonly operand: Operand;
      readonly op: CompareOperator | JsonOnlyOperator;
      readonly value: TypedValue | null;
    }
  /** Through an M2O: the related row (absent = all columns null) matches. */
  | { readonly kind: 'm2o'; readonly relation: M2oRelation; readonly filter: FilterNode }
  /** Through an O2M: some related row matches (`_some`, the default), or none does (`_none`). */
  | { readonly kind: 'o2m'; readonly relation: O2mRelation; readonly none: boolean; readonly filter: FilterNode }
  /** Through an A2O scoped to one collection (`item:headings`). */
  | { readonly kind: 'a2o'; readonly relation: A2oRelation; readonly collection: string; readonly filter: FilterNode };

/** One sort term; `path` is the chain of M2O relations from the scope to the operand's collection. */
/** One relation a sort path crosses; an any-to-one is crossed into one of its collections (`item:circles`). */
export type SortStep =
  | M2oRelation
  | O2mRelation
  | { readonly kind: 'a2o'; readonly relation: A2oRelation; readonly related: string };

export interface SortNode {
  /** Relations crossed to reach the operand; through an O2M the parent takes its first child in the sort's order. */
  readonly path: readonly SortStep[];
  readonly operand: Operand;
  readonly descending: boolean;
}

/** A level's own query: which related rows, in which order, how many per parent. */
export interface LevelQuery {
  readonly filter: FilterNode | null;
  readonly search: FilterNode | null;
  readonly sort: readonly SortNode[];
  /** null = no limit. */
  readonly limit: number | null;
  readonly offset: number;
}

/** The rows of one collection at one place of the tree, and what to output for each. */
export interface Level {
  readonly collection: string;
  readonly selection: readonly SelectNode[];
  readonly query: LevelQuery;
}

export type SelectNode =
  | { readonly kind: 'field'; readonly key: string; readonly field: FieldSnapshot }
  | { readonly kind: 'function'; readonly key: string; readonly operand: Operand }
  | { readonly kind: 'm2o'; readonly key: string; readonly relation: M2oRelation; readonly level: Level }
  /** `keysOnly`: an O2M without sub-selection reads as the array of related primary keys. */
  | {
      readonly kind: 'o2m';
      readonly key: string;
      readonly relation: O2mRelation;
      readonly level: Level;
      readonly keysOnly: boolean;
    }
  /** Targets not listed read as the raw key. */
  | { readonly kind: 'a2o'; readonly key: string; readonly relation: A2oRelation; readonly targets: readonly Level[] };

export interface AggregateNode {
  readonly fn: AggregateFunction;
  /** null for `count=*` and `countAll`. */
  readonly field: FieldSnapshot | null;
}

export interface GroupNode {
  readonly key: string;
  readonly operand: Operand;
}

export type AggregateSortNode =
  | { readonly kind: 'group'; readonly index: number; readonly descending: boolean }
  | { readonly kind: 'aggregate'; readonly index: number; readonly descending: boolean };

export interface AggregateQuery {
  readonly aggregates: readonly AggregateNode[];
  readonly groups: readonly GroupNode[];
  readonly sort: readonly AggregateSortNode[];
}

/**
 * Permissions extension point (issue 6). Per collection: the item filter a row must pass to exist at all (null =
 * every row), and per field the condition under which it is readable (the field reads as null elsewhere).
 * A collection missing from the map is read unrestricted (admin).
 */
export interface CollectionAccess {
  readonly itemFilter: FilterNode | null;
  readonly fieldCases?: Readonly<Record<string, FilterNode>>;
}
export type AccessMap = Readonly<Record<string, CollectionAccess>>;

export interface ReadAst {
  readonly collection: string;
  readonly mode: 'list' | 'single' | 'singleton';
  readonly root: Level;
  /** readOne / readMany primary keys (as text), already checked for the primary key's type. */
  readonly keys: readonly string[] | null;
  readonly meta: readonly MetaKind[];
  readonly aggregate: AggregateQuery | null;
  readonly access?: AccessMap;
}

/** Permission rows and what they resolve to (spec 6). Pure data. */

export type PermissionAction = 'create' | 'read' | 'update' | 'delete' | 'share';

/** A `directus_permissions` row with JSON columns parsed; `policy` orders presets. */
export interface PermissionRow {
  readonly collection: string;
  readonly action: PermissionAction;
  /** Item filter (null = every row). */
  readonly permissions: Record<string, unknown> | null;
  /** Validation filter, evaluated against the payload (null = none). */
  readonly validation: Record<string, unknown> | null;
  readonly presets: Record<string, unknown> | null;
  /** Allowed fields; `['*']` = all; empty or null = none. */
  readonly fields: readonly string[] | null;
  readonly policy: string;
}

/** What one action on one collection allows, merged over every policy in effect. */
export interface EffectivePermission {
  readonly collection: string;
  readonly action: PermissionAction;
  /** The permission rows in policy order ("cases"). */
  readonly cases: readonly PermissionRow[];
  /** Union of allowed fields: '*' or an explicit set. */
  readonly fields: '*' | ReadonlySet<string>;
  /** OR of the item filters; null when some case allows every row. */
  readonly itemFilter: Record<string, unknown> | null;
  /**
   * Fields allowed by only some cases → the OR of those cases' filters: such a field reads as null on rows
   * where none of them applies. Absent when every case allowing the field allows all rows.
   */
  readonly fieldCases: Readonly<Record<string, Record<string, unknown>>>;
  /** Validation rules of every case (AND-ed). */
  readonly validation: readonly Record<string, unknown>[];
  /** Presets merged in policy order (later policies win; the payload wins over all). */
  readonly presets: Readonly<Record<string, unknown>>;
}

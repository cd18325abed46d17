import type { EffectivePermission, PermissionAction, PermissionRow } from './types';

function fieldSet(row: PermissionRow): '*' | Set<string> {
  const fields = row.fields ?? [];
  return fields.includes('*') ? '*' : new Set(fields);
}

function allows(row: PermissionRow, field: string): boolean {
  const set = fieldSet(row);
  return set === '*' || set.has(field);
}

function or(filters: Record<string, unknown>[]): Record<string, unknown> {
  return filters.length === 1 ? filters[0] : { _or: filters };
}

/**
 * Merges the rows of every policy in effect for one collection and action (spec 6.3): item filters OR-ed, fields
 * unioned, per-field cases for fields only some rows allow, validation rules kept for AND-ing, presets merged in
 * policy order. Returns null when no row grants the action.
 */
export function resolvePermission(
  rows: readonly PermissionRow[],
  collection: string,
  action: PermissionAction,
  policyOrder: readonly string[],
  collectionFields: readonly string[],
): EffectivePermission | null {
  const rank = new Map(policyOrder.map((p, i) => [p, i]));
  const cases = rows
    .filter((r) => r.collection === collection && r.action === action)
    .sort((a, b) => (rank.get(a.policy) ?? Infinity) - (rank.get(b.policy) ?? Infinity));
  if (cases.length === 0) return null;

  const sets = cases.map(fieldSet);
  const fields: '*' | Set<string> = sets.some((s) => s === '*')
    ? '*'
    : new Set(sets.flatMap((s) => [...(s as Set<string>)]));
  const unrestricted = cases.some((c) => !c.permissions || Object.keys(c.permissions).length === 0);
  const itemFilter = unrestricted ? null : or(cases.map((c) => c.permissions!));

  const fieldCases: Record<string, Record<string, unknown>> = {};
  if (cases.length > 1) {
    const candidates = fields === '*' ? collectionFields : [...fields];
    for (const field of candidates) {
      const granting = cases.filter((c) => allows(c, field));
      if (granting.length === cases.length) continue;
      if (granting.some((c) => !c.permissions || Object.keys(c.permissions).length === 0)) continue;
      fieldCases[field] = or(granting.map((c) => c.permissions!));
    }
  }

  return {
    collection,
    action,
    cases,
    fields,
    itemFilter,
    fieldCases,
    validation: cases
      .map((c) => c.validation)
      .filter((v): v is Record<string, unknown> => !!v && Object.keys(v).length > 0),
    presets: Object.assign({}, ...cases.map((c) => c.presets ?? {})),
  };
}

/** Whether `field` may be used (read, filtered, sorted, written) under this permission. */
export function fieldAllowed(permission: EffectivePermission, field: string): boolean {
  return permission.fields === '*' || permission.fields.has(field);
}

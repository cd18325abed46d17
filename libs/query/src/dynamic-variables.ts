import type { QueryContext } from './types';

type Unit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'mo' | 'y';

const UNIT_ALIASES: Readonly<Record<string, Unit>> = {
  ms: 'ms',
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
  w: 'w',
  week: 'w',
  weeks: 'w',
  mo: 'mo',
  mth: 'mo',
  mths: 'mo',
  month: 'mo',
  months: 'mo',
  y: 'y',
  yr: 'y',
  yrs: 'y',
  year: 'y',
  years: 'y',
};

const MS_PER_UNIT: Readonly<Record<'ms' | 's' | 'm' | 'h' | 'd' | 'w', number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `$NOW(-1 year)`: the date adjusted by `[+-]<number> <unit>` (days by default). An invalid adjustment means now. */
export function adjustDate(now: Date, adjustment: string): Date {
  const match = /^([+-]?\d+)\s*([a-z]*)$/i.exec(adjustment.trim());
  if (!match) return new Date(now);
  const amount = Number(match[1]);
  const unitName = (match[2] || 'd').toLowerCase();
  if (!Object.hasOwn(UNIT_ALIASES, unitName)) return new Date(now);
  const unit = UNIT_ALIASES[unitName]!;
  const date = new Date(now);
  if (unit === 'mo') date.setUTCMonth(date.getUTCMonth() + amount);
  else if (unit === 'y') date.setUTCFullYear(date.getUTCFullYear() + amount);
  else date.setTime(date.getTime() + amount * MS_PER_UNIT[unit]);
  return Number.isNaN(date.getTime()) ? new Date(now) : date;
}

const VARIABLES = ['$CURRENT_USER', '$CURRENT_ROLES', '$CURRENT_ROLE', '$CURRENT_POLICIES'] as const;

function baseValue(variable: (typeof VARIABLES)[number], ctx: QueryContext): unknown {
  switch (variable) {
    case '$CURRENT_USER':
      return ctx.user;
    case '$CURRENT_ROLE':
      return ctx.role;
    case '$CURRENT_ROLES':
      return [...ctx.roles];
    case '$CURRENT_POLICIES':
      return [...ctx.policies];
  }
}

/**
 * Resolves a filter value that is a dynamic variable (spec 2.4); any other value is returned unchanged.
 * `$CURRENT_USER.path` and friends go through `ctx.resolveVariable` (null without it).
 */
export function resolveDynamicVariable(value: unknown, ctx: QueryContext): unknown {
  if (typeof value !== 'string' || !value.startsWith('$')) return value;
  if (value === '$NOW') return new Date(ctx.now);
  const now = /^\$NOW\((.*)\)$/s.exec(value);
  if (now) return adjustDate(ctx.now, now[1]!);
  for (const variable of VARIABLES) {
    if (value === variable) return baseValue(variable, ctx);
    if (value.startsWith(`${variable}.`)) return ctx.resolveVariable?.(value) ?? null;
  }
  return value;
}

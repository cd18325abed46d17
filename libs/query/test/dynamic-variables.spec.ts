import { adjustDate, resolveDynamicVariable } from '@lib/query';
import { context } from './fixture';

const now = new Date('2024-01-31T12:00:00.000Z');

describe('adjustDate', () => {
  it.each([
    ['-1 year', '2023-01-31T12:00:00.000Z'],
    ['+2 yrs', '2026-01-31T12:00:00.000Z'],
    ['1 month', '2024-03-02T12:00:00.000Z'],
    ['-3 mo', '2023-10-31T12:00:00.000Z'],
    ['2 weeks', '2024-02-14T12:00:00.000Z'],
    ['-1 w', '2024-01-24T12:00:00.000Z'],
    ['5', '2024-02-05T12:00:00.000Z'],
    ['-2 days', '2024-01-29T12:00:00.000Z'],
    ['3 hours', '2024-01-31T15:00:00.000Z'],
    ['-30 min', '2024-01-31T11:30:00.000Z'],
    ['10 seconds', '2024-01-31T12:00:10.000Z'],
    ['250 ms', '2024-01-31T12:00:00.250Z'],
    ['1 fortnight', '2024-01-31T12:00:00.000Z'],
    ['soon', '2024-01-31T12:00:00.000Z'],
  ])('%s', (adjustment, expected) => {
    expect(adjustDate(now, adjustment).toISOString()).toBe(expected);
  });
});

describe('resolveDynamicVariable', () => {
  it('resolves $NOW with and without adjustment', () => {
    expect(resolveDynamicVariable('$NOW', context)).toEqual(context.now);
    expect((resolveDynamicVariable('$NOW(-1 day)', context) as Date).toISOString()).toBe('2024-05-31T12:00:00.000Z');
  });

  it('resolves the accountability variables', () => {
    expect(resolveDynamicVariable('$CURRENT_USER', context)).toBe(context.user);
    expect(resolveDynamicVariable('$CURRENT_ROLE', context)).toBe(context.role);
    expect(resolveDynamicVariable('$CURRENT_ROLES', context)).toEqual(context.roles);
    expect(resolveDynamicVariable('$CURRENT_POLICIES', context)).toEqual(context.policies);
  });

  it('resolves paths through the hook, null when unknown or without hook', () => {
    expect(resolveDynamicVariable('$CURRENT_USER.email', context)).toBe('ada@example.com');
    expect(resolveDynamicVariable('$CURRENT_ROLES.name', context)).toBeNull();
    expect(resolveDynamicVariable('$CURRENT_USER.email', { ...context, resolveVariable: undefined })).toBeNull();
  });

  it('leaves other values alone', () => {
    expect(resolveDynamicVariable('$OTHER', context)).toBe('$OTHER');
    expect(resolveDynamicVariable('x', context)).toBe('x');
    expect(resolveDynamicVariable(5, context)).toBe(5);
  });
});

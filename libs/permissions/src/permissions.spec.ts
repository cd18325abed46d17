import { resolvePermission, fieldAllowed } from './resolve';
import type { PermissionRow } from './types';
import { validatePayload } from './validation';

const row = (partial: Partial<PermissionRow>): PermissionRow => ({
  collection: 'articles',
  action: 'read',
  permissions: null,
  validation: null,
  presets: null,
  fields: ['*'],
  policy: 'p1',
  ...partial,
});

describe('resolvePermission', () => {
  const fields = ['id', 'title', 'body', 'secret'];

  it('is null without a row for the action', () => {
    expect(resolvePermission([row({ action: 'create' })], 'articles', 'read', ['p1'], fields)).toBeNull();
  });

  it('ORs item filters and unions fields across policies', () => {
    const own = { user_created: { _eq: '$CURRENT_USER' } };
    const published = { status: { _eq: 'published' } };
    const p = resolvePermission(
      [
        row({ policy: 'p1', permissions: own, fields: ['id', 'title', 'body'] }),
        row({ policy: 'p2', permissions: published, fields: ['id', 'title'] }),
      ],
      'articles',
      'read',
      ['p1', 'p2'],
      fields,
    )!;
    expect(p.itemFilter).toEqual({ _or: [own, published] });
    expect(p.fields).toEqual(new Set(['id', 'title', 'body']));
    expect(p.fieldCases).toEqual({ body: own });
    expect(fieldAllowed(p, 'title')).toBe(true);
    expect(fieldAllowed(p, 'secret')).toBe(false);
  });

  it('a case without a filter allows every row, and its fields need no case', () => {
    const p = resolvePermission(
      [
        row({ policy: 'p1', permissions: null, fields: ['*'] }),
        row({ policy: 'p2', permissions: { id: { _eq: 1 } }, fields: ['id'] }),
      ],
      'articles',
      'read',
      ['p1', 'p2'],
      fields,
    )!;
    expect(p.itemFilter).toBeNull();
    expect(p.fields).toBe('*');
    expect(p.fieldCases).toEqual({});
  });

  it('gives a "*" case the fields other cases lack', () => {
    const f1 = { id: { _gt: 10 } };
    const p = resolvePermission(
      [
        row({ policy: 'a', permissions: f1, fields: ['*'] }),
        row({ policy: 'b', permissions: { id: { _lt: 5 } }, fields: ['id'] }),
      ],
      'articles',
      'read',
      ['a', 'b'],
      fields,
    )!;
    expect(p.fieldCases).toEqual({ title: f1, body: f1, secret: f1 });
  });

  it('merges presets in policy order and keeps every validation rule', () => {
    const p = resolvePermission(
      [
        row({
          action: 'create',
          policy: 'late',
          presets: { status: 'review', views: 1 },
          validation: { views: { _lte: 10 } },
        }),
        row({
          action: 'create',
          policy: 'early',
          presets: { status: 'draft' },
          validation: { title: { _nnull: true } },
        }),
      ],
      'articles',
      'create',
      ['early', 'late'],
      fields,
    )!;
    expect(p.presets).toEqual({ status: 'review', views: 1 });
    expect(p.validation).toEqual([{ title: { _nnull: true } }, { views: { _lte: 10 } }]);
  });
});

describe('validatePayload', () => {
  it('reports the 12.4.1 shape for a failed _lte', () => {
    const [error] = validatePayload([{ views: { _lte: 1000 } }], { views: 5000 }, 'create');
    expect(error.message).toBe('Validation failed for field "views". Value has to be less than or equal to "1000".');
    expect(error.extensions).toEqual({ field: 'views', path: [], type: 'lte', valid: 1000 });
  });

  it('gives one error per failed rule, ANDs rules, and _or needs one branch', () => {
    const rules = [{ views: { _gte: 0 } }, { _or: [{ status: { _eq: 'draft' } }, { status: { _eq: 'review' } }] }];
    expect(validatePayload(rules, { views: 3, status: 'draft' }, 'create')).toHaveLength(0);
    const errors = validatePayload(rules, { views: -1, status: 'published' }, 'create');
    expect(errors.map((e) => e.extensions.type)).toEqual(['gte', 'eq', 'eq']);
  });

  it('checks only submitted fields, and _submitted only on create', () => {
    expect(validatePayload([{ title: { _nnull: true } }], {}, 'update')).toHaveLength(0);
    expect(validatePayload([{ title: { _submitted: true } }], {}, 'create')[0].extensions).toEqual({
      field: 'title',
      path: [],
      type: 'required',
    });
    expect(validatePayload([{ title: { _submitted: true } }], {}, 'update')).toHaveLength(0);
  });

  it.each([
    [{ _in: ['a', 'b'] }, 'c', 'in', 'Value has to be one of "a", "b"'],
    [{ _contains: 'x' }, 'abc', 'contains', 'Value has to contain "x"'],
    [{ _regex: '^[a-z]+$' }, 'ABC', 'regex', "Value doesn't have the correct format"],
    [{ _nnull: true }, null, 'nnull', "Value can't be null"],
    [{ _between: [1, 5] }, 9, 'between', 'Value has to be between "1", "5"'],
    [{ _neq: 'x' }, 'x', 'neq', `Value can't be "x"`],
  ])('%j rejects %j as %s', (rule, value, type, detail) => {
    const [error] = validatePayload([{ f: rule }], { f: value }, 'create');
    expect(error.extensions.type).toBe(type);
    expect(error.message).toBe(`Validation failed for field "f". ${detail}.`);
  });
});

import { shapeKey, StatementCache } from './statement-cache';

describe('shapeKey', () => {
  it('names the whole query after its prefix parts', () => {
    const a = shapeKey(['single', 'notes'], { fields: ['id'], filter: { title: { _eq: 'a' } } });
    const b = shapeKey(['single', 'notes'], { fields: ['id'], filter: { title: { _eq: 'b' } } });
    const c = shapeKey(['list', 'notes'], { fields: ['id'], filter: { title: { _eq: 'a' } } });
    expect(a).toBe('single\u0000notes\u0000{"fields":["id"],"filter":{"title":{"_eq":"a"}}}');
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it('is null for values JSON cannot tell apart, and for very long shapes', () => {
    const date = new Date('2026-01-01T00:00:00.000Z');
    expect(shapeKey(['list', 'n'], { filter: { due: { _lte: date } } })).toBeNull();
    expect(shapeKey(['list', 'n'], { filter: { due: { _lte: date.toISOString() } } })).not.toBeNull();
    expect(shapeKey(['list', 'n'], { filter: { n: { _eq: Number.NaN } } })).toBeNull();
    expect(shapeKey(['list', 'n'], { filter: { n: { _eq: 10n } } })).toBeNull();
    expect(shapeKey(['list', 'n'], { filter: { n: { _in: Array.from({ length: 2000 }, (_, i) => i) } } })).toBeNull();
    expect(shapeKey(['list', 'n'], { filter: { n: { _lt: Number.POSITIVE_INFINITY } } })).toBeNull();
    expect(shapeKey(['list', 'n'], { filter: { n: { _in: [new Map()] } } })).toBeNull();
  });

  it('is the JSON of plain data; an undefined property is as good as a missing one, an undefined element is not cached', () => {
    const query = {
      limit: 10,
      fields: ['a', 'b.*'],
      filter: { _and: [{ n: { _eq: null } }, { s: { _eq: 'q"\\u0000' } }] },
    };
    expect(shapeKey(['x'], query)).toBe(`x\u0000${JSON.stringify(query)}`);
    expect(shapeKey(['x'], { ...query, meta: undefined })).toBe(shapeKey(['x'], query));
    expect(shapeKey(['x'], { f: [undefined] })).toBeNull();
    expect(shapeKey(['x'], { f: [null] })).toBe('x\u0000{"f":[null]}');
    expect(shapeKey(['x'], { f: true, g: -1.5 })).toBe('x\u0000{"f":true,"g":-1.5}');
  });
});

describe('StatementCache', () => {
  it('keeps entries per scope, and one bound for all scopes together: the oldest entry goes first', () => {
    const cache = new StatementCache<number>(3);
    const one = {};
    const two = {};
    cache.set(one, 'k', 1);
    expect([cache.get(one, 'k'), cache.get(two, 'k')]).toEqual([1, undefined]);
    cache.set(two, 'k', 2);
    cache.set(two, 'j', 3);
    cache.set(one, 'j', 4);
    expect([cache.get(one, 'k'), cache.get(two, 'k'), cache.get(two, 'j'), cache.get(one, 'j')]).toEqual([
      undefined,
      2,
      3,
      4,
    ]);
  });
});

import { parseQueryString } from './query-string';

/** Outcomes as Directus 12's qs (6.16) gives them for the same settings. */
describe('parseQueryString', () => {
  const parse = (q: string, arrayLimit = 2) => parseQueryString(q, { depth: 10, arrayLimit });

  it('keeps arrays up to the limit, by a[]=, repeated keys and indexes', () => {
    expect(parse('a[]=1&a[]=2')).toEqual({ a: ['1', '2'] });
    expect(parse('a=1&a=2')).toEqual({ a: ['1', '2'] });
    expect(parse('a[0]=1&a[1]=2')).toEqual({ a: ['1', '2'] });
    expect(parse('f[x][_in][]=1&f[x][_in][]=2')).toEqual({ f: { x: { _in: ['1', '2'] } } });
  });

  it('makes an array past the limit an object keyed by index', () => {
    expect(parse('a[]=0&a[]=1&a[]=2')).toEqual({ a: { 0: '0', 1: '1', 2: '2' } });
    expect(parse('a=0&a=1&a=2')).toEqual({ a: { 0: '0', 1: '1', 2: '2' } });
    expect(parse('a[2]=x')).toEqual({ a: { 2: 'x' } });
    expect(parse('a[1]=x')).toEqual({ a: ['x'] });
    expect(parse('f[x][_in][]=1&f[x][_in][]=2&f[x][_in][]=3')).toEqual({
      f: { x: { _in: { 0: '1', 1: '2', 2: '3' } } },
    });
  });

  it("Directus's default (500) and depth", () => {
    const many = Array.from({ length: 500 }, (_, i) => `a[]=${i}`).join('&');
    expect((parse(many, 500).a as unknown[]).length).toBe(500);
    expect(Array.isArray(parse(`${many}&a[]=500`, 500).a)).toBe(false);
    expect(parseQueryString('a[b][c]=1', { depth: 1, arrayLimit: 500 })).toEqual({ a: { b: { '[c]': '1' } } });
  });
});

import { FILTER_OPERATORS } from '../src/operators';
import { ast, errorOf } from './helpers';

/** One field of each type in the fixture, and the operators its type allows (spec 2.2). */
const STRING = [
  '_contains',
  '_ncontains',
  '_icontains',
  '_starts_with',
  '_nstarts_with',
  '_istarts_with',
  '_nistarts_with',
  '_ends_with',
  '_nends_with',
  '_iends_with',
  '_niends_with',
  '_eq',
  '_neq',
  '_empty',
  '_nempty',
  '_null',
  '_nnull',
  '_in',
  '_nin',
];
const NUMERIC = [
  '_eq',
  '_neq',
  '_lt',
  '_lte',
  '_gt',
  '_gte',
  '_between',
  '_nbetween',
  '_null',
  '_nnull',
  '_in',
  '_nin',
];
const OTHER = [
  '_contains',
  '_ncontains',
  '_eq',
  '_neq',
  '_lt',
  '_lte',
  '_gt',
  '_gte',
  '_between',
  '_nbetween',
  '_empty',
  '_nempty',
  '_null',
  '_nnull',
  '_in',
  '_nin',
];

const MATRIX: [collection: string, field: string, type: string, allowed: string[], sample: unknown][] = [
  ['articles', 'title', 'string', STRING, 'x'],
  ['articles', 'body', 'text', STRING, 'x'],
  ['articles', 'labels', 'csv', STRING, 'x'],
  ['articles', 'views', 'integer', NUMERIC, 1],
  ['articles', 'big', 'bigInteger', NUMERIC, '12'],
  ['articles', 'rating', 'decimal', NUMERIC, 1.5],
  ['articles', 'published_at', 'dateTime', NUMERIC, '2024-01-01T00:00:00'],
  ['authors', 'born', 'date', NUMERIC, '2024-01-01'],
  ['articles', 'featured', 'boolean', ['_eq', '_neq', '_null', '_nnull'], true],
  ['articles', 'starts', 'time', NUMERIC, '10:00:00'],
  [
    'articles',
    'uid',
    'uuid',
    ['_eq', '_neq', '_null', '_nnull', '_in', '_nin'],
    'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  ],
  ['articles', 'data', 'json', ['_null', '_nnull', '_json'], 'x'],
  ['articles', 'secret', 'hash', ['_empty', '_nempty', '_null', '_nnull'], 'x'],
  ['authors', 'created_on', 'timestamp', OTHER, '2024-01-01T00:00:00Z'],
];

const LOGICAL = ['_and', '_or', '_some', '_none'];

function valueFor(operator: string, sample: unknown): unknown {
  if (['_null', '_nnull', '_empty', '_nempty'].includes(operator)) return true;
  if (['_in', '_nin', '_between', '_nbetween'].includes(operator)) return [sample, sample];
  if (operator === '_json') return { a: { _eq: 1 } };
  if (operator.includes('intersects')) return { type: 'Point', coordinates: [0, 0] };
  return sample;
}

describe('operator × type allow-list', () => {
  for (const [collection, field, type, allowed, sample] of MATRIX) {
    describe(`${type} (${collection}.${field})`, () => {
      for (const operator of FILTER_OPERATORS.filter((op) => !LOGICAL.includes(op))) {
        const filter = { [field]: { [operator]: valueFor(operator, sample) } };
        if (allowed.includes(operator)) {
          it(`allows ${operator}`, () => {
            expect(ast(collection, { filter }).root.query.filter).toMatchObject({ kind: 'compare' });
          });
        } else {
          it(`rejects ${operator}`, () => {
            expect(errorOf(() => ast(collection, { filter })).message).toBe(
              `Invalid query. "${type}" field type does not contain the "${operator}" filter operator.`,
            );
          });
        }
      }
    });
  }

  it('treats concealed fields as hash', () => {
    expect(errorOf(() => ast('articles', { filter: { secret: { _eq: 'x' } } })).message).toContain('"hash" field type');
  });

  it('uses the integer list for function operands', () => {
    expect(
      ast('articles', { filter: { 'year(published_at)': { _between: [2020, 2024] } } }).root.query.filter,
    ).toMatchObject({
      kind: 'compare',
      operand: { kind: 'datePart', fn: 'year' },
    });
    expect(errorOf(() => ast('articles', { filter: { 'count(comments)': { _contains: '1' } } })).message).toBe(
      'Invalid query. "integer" field type does not contain the "_contains" filter operator.',
    );
  });

  it('rejects operators on alias fields', () => {
    expect(errorOf(() => ast('articles', { filter: { comments: { _null: true } } })).message).toBe(
      'Invalid query. "alias" field type does not contain the "_null" filter operator.',
    );
  });
});

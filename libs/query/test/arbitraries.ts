/**
 * fast-check arbitraries for Directus queries over the fixture schema: mostly well-formed queries built from the
 * schema's real paths, operators and typed values, each part replaced by junk now and then.
 */
import type { CollectionSnapshot } from '@lib/schema';
import fc from 'fast-check';
import { FILTER_OPERATORS } from '../src/operators';
import { schema } from './fixture';

const collections = Object.keys(schema.collections);

/** Field paths reachable from a collection, up to `depth` segments (M2A through `item:<collection>`). */
function pathsOf(collection: CollectionSnapshot, depth: number): string[] {
  return collection.fieldOrder.flatMap((name) => {
    const relation = collection.relations[name];
    if (!relation || depth === 1) return [name];
    const targets =
      relation.kind === 'a2o'
        ? relation.allowedCollections.map((target) => [`${name}:${target}`, target] as const)
        : [[name, relation.related] as const];
    return [
      name,
      `${name}.*`,
      ...targets.flatMap(([segment, target]) =>
        pathsOf(schema.collections[target]!, depth - 1).map((path) => `${segment}.${path}`),
      ),
    ];
  });
}

const FUNCTIONS = ['year', 'month', 'week', 'day', 'weekday', 'hour', 'minute', 'second', 'count', 'json', 'nope'];
const JUNK_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  '',
  ' ',
  '*',
  '*.*',
  'a.b',
  'x:y',
  '(',
  ')',
  '"',
  "'",
  '\\',
  'nope',
];

export const junk = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(...JUNK_NAMES, 'true', 'null', '1,2', 'NaN', '1e400', '$NOW', '$CURRENT_ROLES'),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
);

/** Mostly `good`, sometimes junk. */
const mostly = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 25, arbitrary: good }, { weight: 1, arbitrary: junk });

const values = fc.oneof(
  fc.integer({ min: -10, max: 6000 }),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 6 }),
  fc.constantFrom(
    'true',
    'null',
    '',
    'Hello',
    '100%',
    'a_b',
    '2024-03-01',
    '2024-03-01T10:00:00',
    '2024-13-45',
    '10:00:00',
    'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    '$NOW',
    '$NOW(-1 year)',
    '$CURRENT_USER',
    '$CURRENT_USER.email',
    '9007199254740993',
  ),
);
const listValue = fc.oneof(
  fc.array(values, { minLength: 1, maxLength: 3 }),
  fc.constantFrom('1,2', 'a,b', '$CURRENT_ROLES'),
);
const operator = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...FILTER_OPERATORS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 5 }).map((s) => `_${s}`) },
);
const operand = (op: string): fc.Arbitrary<unknown> => {
  if (['_in', '_nin', '_between', '_nbetween'].includes(op)) return listValue;
  if (['_null', '_nnull', '_empty', '_nempty'].includes(op)) return fc.constantFrom(true, false, '', 'true');
  return values;
};
const condition = operator.chain((op) => operand(op).map((value): Record<string, unknown> => ({ [op]: value })));

/** A filter over one collection: paths nest into relational filters, `_and`/`_or`/`_some`/`_none` mixed in. */
function filterFor(collection: CollectionSnapshot): fc.Arbitrary<Record<string, unknown>> {
  const paths = pathsOf(collection, 3).filter((path) => !path.includes('*'));
  const leaf = fc
    .tuple(fc.constantFrom(...paths), mostly(condition), fc.constantFrom('', '_some', '_none'))
    .map(([path, cond, quantifier]) => {
      const segments = path.split('.');
      let node: Record<string, unknown> = { [segments.pop()!]: cond };
      for (const segment of segments.reverse())
        node = { [segment]: quantifier && Math.random() < 0.3 ? { [quantifier]: node } : node };
      return node;
    });
  const fn = fc
    .tuple(fc.constantFrom(...FUNCTIONS), fc.constantFrom(...collection.fieldOrder), mostly(condition))
    .map(([f, field, cond]) => ({ [`${f}(${field})`]: cond }));
  return fc.letrec<{ node: Record<string, unknown> }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fn,
      fc.array(tie('node'), { maxLength: 3 }).map((items) => ({ _and: items })),
      fc.array(tie('node'), { maxLength: 3 }).map((items) => ({ _or: items })),
      fc.tuple(tie('node'), tie('node')).map(([a, b]) => ({ ...a, ...b })),
    ),
  })).node;
}

function queryFor(collection: CollectionSnapshot): fc.Arbitrary<Record<string, unknown>> {
  const paths = pathsOf(collection, 3);
  const plain = collection.fieldOrder.filter((name) => !collection.fields[name]!.alias);
  const functions = fc
    .tuple(fc.constantFrom(...FUNCTIONS), fc.constantFrom(...collection.fieldOrder))
    .map(([f, field]) => `${f}(${field})`);
  const fieldItem = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...paths, '*', '*.*', '*.*.*') },
    { weight: 1, arbitrary: functions },
  );
  const sortItem = fc.tuple(
    fc.boolean(),
    fc.oneof(
      fc.constantFrom(...paths.filter((path) => !path.includes('*'))),
      functions,
      fc.constantFrom('count', 'count.id', 'sum.views'),
    ),
  );
  const number = (min: number) => fc.oneof(fc.integer({ min, max: 120 }), fc.integer({ min, max: 120 }).map(String));
  const filter = filterFor(collection);
  const relational = collection.fieldOrder.filter((name) => collection.relations[name]);
  const deepKey =
    relational.length > 0
      ? fc.constantFrom(...relational, 'blocks:headings', 'item:headings', '_limit')
      : fc.constant('x');
  const deepLevel = fc.record(
    {
      _filter: filter,
      _sort: fc.constantFrom('-id', 'id', 'sort', '-created'),
      _limit: number(-1),
      _offset: number(0),
      _page: number(1),
      _search: fc.constantFrom('a', '1'),
    },
    { requiredKeys: [] },
  );
  const parts = fc.record({
    fields: mostly(
      fc.oneof(
        fc.array(fieldItem, { minLength: 1, maxLength: 5 }).map((items) => items.join(',')),
        fc.array(fieldItem, { maxLength: 5 }),
      ),
    ),
    filter: mostly(
      fc.oneof(
        filter,
        filter.map((value) => JSON.stringify(value)),
      ),
    ),
    sort: mostly(
      fc
        .array(sortItem, { maxLength: 3 })
        .map((items) => items.map(([desc, path]) => `${desc ? '-' : ''}${path}`).join(',')),
    ),
    limit: mostly(number(-1)),
    offset: mostly(number(0)),
    page: mostly(number(1)),
    search: mostly(fc.constantFrom('hello', '100', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1.5', '%_')),
    meta: mostly(fc.constantFrom('*', 'total_count', 'filter_count,total_count')),
    deep: mostly(fc.dictionary(deepKey, deepLevel, { maxKeys: 2 })),
    alias: mostly(
      fc.dictionary(fc.constantFrom('a1', 'a2', 'id'), fc.oneof(fc.constantFrom(...collection.fieldOrder), functions), {
        maxKeys: 2,
      }),
    ),
    aggregate: mostly(
      fc.dictionary(
        fc.constantFrom('count', 'sum', 'avg', 'min', 'max', 'countDistinct', 'sumDistinct', 'avgDistinct', 'countAll'),
        fc.constantFrom(...plain, '*'),
        { maxKeys: 3 },
      ),
    ),
    groupBy: mostly(fc.array(fc.oneof(fc.constantFrom(...plain), functions), { maxLength: 2 })),
    backlink: mostly(fc.constantFrom('false', 'true', false)),
  });
  // Up to four parameters per query, so that one bad part does not hide the others.
  return fc
    .tuple(
      parts,
      fc.shuffledSubarray(
        [
          'fields',
          'filter',
          'sort',
          'limit',
          'offset',
          'page',
          'search',
          'meta',
          'deep',
          'alias',
          'aggregate',
          'groupBy',
          'backlink',
        ] as const,
        { maxLength: 4 },
      ),
    )
    .map(([all, keys]) => Object.fromEntries(keys.map((key) => [key, all[key]])));
}

/** A collection (rarely a junk name) and a query meant for it. */
export const collectionAndQuery = fc.oneof(
  {
    weight: 20,
    arbitrary: fc
      .constantFrom(...collections)
      .chain((name) => queryFor(schema.collections[name]!).map((query) => [name, query] as const)),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...JUNK_NAMES), fc.constant({})) },
);

export const readOptions = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ mode: 'list' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      mode: fc.constant('single' as const),
      id: fc.oneof(fc.integer({ min: -1, max: 9 }), fc.string({ maxLength: 3 })),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ mode: 'singleton' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      mode: fc.constant('list' as const),
      keys: fc.array(fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constantFrom('1', 'x')), { maxLength: 3 }),
    }),
  },
);

/** Mutations of a valid query: a random key set to junk, nested somewhere. */
export const mutation = fc.tuple(
  fc.constantFrom(
    'fields',
    'filter',
    'sort',
    'limit',
    'deep',
    'alias',
    'aggregate',
    'groupBy',
    'meta',
    'search',
    'page',
    'x',
  ),
  junk,
);

import { ForbiddenError, InvalidQueryError } from '@lib/errors';
import { buildReadAst, compileRead, sanitizeQuery, type ReadOptions } from '@lib/query';
import fc from 'fast-check';
import { collectionAndQuery, mutation, readOptions } from './arbitraries';
import { context, limits, schema } from './fixture';

type Outcome = 'compiled' | 'invalid' | 'forbidden';

/** The whole pipeline; only a compiled statement or one of the two domain errors may come out. */
function run(target: string, raw: unknown, options: Omit<ReadOptions, 'limits'>): Outcome {
  try {
    const query = sanitizeQuery(raw, context, limits);
    const { sql, params } = compileRead(buildReadAst(schema, target, query, { ...options, limits }), schema);
    expect(sql).toMatch(/^(WITH .* )?SELECT /s);
    // Every placeholder refers to a bound value.
    const highest = Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
    expect(highest).toBeLessThanOrEqual(params.length);
    return 'compiled';
  } catch (error) {
    if (error instanceof InvalidQueryError) return 'invalid';
    if (error instanceof ForbiddenError) return 'forbidden';
    throw error;
  }
}

describe('sanitize + build + compile never throw anything but INVALID_QUERY / FORBIDDEN', () => {
  it('random queries (and a good share of them compile)', () => {
    const outcomes: Record<Outcome, number> = { compiled: 0, invalid: 0, forbidden: 0 };
    fc.assert(
      fc.property(collectionAndQuery, readOptions, ([target, raw], options) => {
        outcomes[run(target, raw, options)]++;
      }),
      { numRuns: 7000 },
    );
    expect(outcomes.compiled).toBeGreaterThan(1000);
  });

  it('queries with one parameter mutated', () => {
    fc.assert(
      fc.property(collectionAndQuery, mutation, readOptions, ([target, raw], [key, junk], options) => {
        run(target, { ...raw, [key]: junk }, options);
      }),
      { numRuns: 4000 },
    );
  });
});

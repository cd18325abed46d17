import { GraphQLError, Kind, parseValue, type ValueNode } from 'graphql';
import {
  GraphQLBigInt,
  GraphQLDate,
  GraphQLHash,
  GraphQLJSON,
  GraphQLJsonFilter,
  GraphQLStringOrFloat,
  GraphQLVoid,
  SCALARS,
} from '@lib/graphql-schema';

const literal = (source: string): ValueNode => parseValue(source);

function thrown(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('scalars (spec 9)', () => {
  it('has Directus names and descriptions', () => {
    expect(SCALARS.map((s) => [s.name, s.description])).toEqual([
      ['Date', 'ISO8601 Date values'],
      [
        'JSON',
        'The `JSON` scalar type represents JSON values as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf).',
      ],
      ['GraphQLBigInt', 'BigInt value'],
      ['Hash', 'Hashed string values'],
      ['GraphQLStringOrFloat', 'A Float or a String'],
      [
        'GraphQLJsonFilter',
        'A JSON filter value: a plain object mapping JSON path keys to filter operators (e.g. { "key": { "_eq": "value" } })',
      ],
      ['Void', 'Represents NULL values'],
    ]);
  });

  describe('GraphQLJsonFilter', () => {
    it('accepts path keys mapping to operator objects and _and/_or arrays, as a value or a literal', () => {
      const value = { color: { _eq: 'red' }, 'size.w': { _gt: 5 }, _or: [{ a: { _null: true } }] };
      expect(GraphQLJsonFilter.parseValue(value)).toEqual(value);
      expect(GraphQLJsonFilter.parseLiteral(parseValue('{color: {_eq: $c}, _and: []}'), { c: 'red' })).toEqual({
        color: { _eq: 'red' },
        _and: [],
      });
    });

    it('refuses what Directus refuses, with its messages', () => {
      const cases: [unknown, string][] = [
        ['x', 'json filter value must be a plain object mapping JSON path keys to filter operators'],
        [null, 'json filter value must be a plain object mapping JSON path keys to filter operators'],
        [[{ a: { _eq: 1 } }], 'json filter value must be a plain object mapping JSON path keys to filter operators'],
        [{ _or: { a: { _eq: 1 } } }, 'json filter: "_or" must be an array of filter objects'],
        [{ _and: 'x' }, 'json filter: "_and" must be an array of filter objects'],
        [{ color: 'red' }, 'json filter: "color" must be a filter operator object (e.g. { "_eq": "value" })'],
        [{ color: ['red'] }, 'json filter: "color" must be a filter operator object (e.g. { "_eq": "value" })'],
        [{ ' ': { _eq: 1 } }, 'json filter: keys must not be empty'],
      ];
      for (const [value, message] of cases) {
        expect(() => GraphQLJsonFilter.parseValue(value)).toThrow(message);
      }
    });
  });

  describe('Date', () => {
    it('serializes strings as they are and JS dates as ISO strings', () => {
      expect(GraphQLDate.serialize('2024-03-01T10:00:00')).toBe('2024-03-01T10:00:00');
      expect(GraphQLDate.serialize('09:30:00')).toBe('09:30:00');
      expect(GraphQLDate.serialize(new Date('2024-01-02T03:04:05.678Z'))).toBe('2024-01-02T03:04:05.678Z');
      expect(thrown(() => GraphQLDate.serialize({}))).toMatch(/String cannot represent value/);
    });
    it('parses strings only', () => {
      expect(GraphQLDate.parseValue('2024-03-01')).toBe('2024-03-01');
      expect(thrown(() => GraphQLDate.parseValue(5))).toMatch(/String cannot represent a non string value/);
      expect(GraphQLDate.parseLiteral(literal('"2024-03-01"'))).toBe('2024-03-01');
      expect(thrown(() => GraphQLDate.parseLiteral(literal('5')))).toMatch(
        /String cannot represent a non string value/,
      );
    });
  });

  describe('JSON', () => {
    it('passes any value through', () => {
      for (const value of [{ a: [1, 'x', null] }, [1, 2], 'text', 3.5, true, null]) {
        expect(GraphQLJSON.serialize(value)).toEqual(value);
        expect(GraphQLJSON.parseValue(value)).toEqual(value);
      }
    });
    it('parses literals of every kind, variables inside them too', () => {
      expect(GraphQLJSON.parseLiteral(literal('{a: [1, 2.5, "x", true, null], b: {c: ENUMISH}}'))).toEqual({
        a: [1, 2.5, 'x', true, null],
        b: { c: 'ENUMISH' },
      });
      expect(GraphQLJSON.parseLiteral(literal('{k: $v}'), { v: [1, 2] })).toEqual({ k: [1, 2] });
    });
  });

  describe('GraphQLBigInt (a string both ways, spec 15)', () => {
    it('serializes strings, safe integers and bigints as exact decimal strings', () => {
      expect(GraphQLBigInt.serialize('9007199254740993')).toBe('9007199254740993');
      expect(GraphQLBigInt.serialize(12)).toBe('12');
      expect(GraphQLBigInt.serialize(-5)).toBe('-5');
      expect(GraphQLBigInt.serialize(0)).toBe('0');
      expect(GraphQLBigInt.serialize(9223372036854775807n)).toBe('9223372036854775807');
    });
    it('refuses what is not an int8', () => {
      expect(thrown(() => GraphQLBigInt.serialize('1.5'))).toBe('GraphQLBigInt cannot represent value: "1.5"');
      expect(thrown(() => GraphQLBigInt.serialize(1.5))).toBe('GraphQLBigInt cannot represent value: 1.5');
      expect(thrown(() => GraphQLBigInt.serialize('9223372036854775808'))).toMatch(/cannot represent/);
      expect(thrown(() => GraphQLBigInt.serialize(true))).toMatch(/cannot represent/);
    });
    it('parses strings and safe integers to exact strings', () => {
      expect(GraphQLBigInt.parseValue('9007199254740993')).toBe('9007199254740993');
      expect(GraphQLBigInt.parseValue(' 42 ')).toBe('42');
      expect(GraphQLBigInt.parseValue(42)).toBe('42');
      expect(thrown(() => GraphQLBigInt.parseValue(2 ** 60))).toBe(`Invalid GraphQLBigInt: ${2 ** 60}`);
      expect(thrown(() => GraphQLBigInt.parseValue('abc'))).toBe('Invalid GraphQLBigInt: "abc"');
      expect(GraphQLBigInt.parseLiteral(literal('"-9223372036854775808"'))).toBe('-9223372036854775808');
      expect(GraphQLBigInt.parseLiteral(literal('7'))).toBe('7');
      expect(thrown(() => GraphQLBigInt.parseLiteral(literal('7.5')))).toBe('Invalid GraphQLBigInt literal');
      expect(thrown(() => GraphQLBigInt.parseLiteral(literal('"x"')))).toBe('Invalid GraphQLBigInt literal');
    });
  });

  describe('Hash', () => {
    it('behaves as a String', () => {
      expect(GraphQLHash.serialize('**********')).toBe('**********');
      expect(GraphQLHash.parseValue('secret')).toBe('secret');
      expect(GraphQLHash.parseLiteral(literal('"secret"'))).toBe('secret');
      expect(thrown(() => GraphQLHash.parseLiteral(literal('1')))).toMatch(/non string value/);
    });
  });

  describe('GraphQLStringOrFloat', () => {
    it('takes numbers and strings (dynamic variables such as $NOW)', () => {
      expect(GraphQLStringOrFloat.serialize(1.5)).toBe(1.5);
      expect(GraphQLStringOrFloat.serialize('$NOW')).toBe('$NOW');
      expect(GraphQLStringOrFloat.parseValue(3)).toBe(3);
      expect(GraphQLStringOrFloat.parseValue('$CURRENT_USER')).toBe('$CURRENT_USER');
      expect(thrown(() => GraphQLStringOrFloat.parseValue(true))).toBe('Value must be either a String or a Float');
      expect(thrown(() => GraphQLStringOrFloat.serialize(Infinity))).toBe('Value must be either a String or a Float');
      expect(GraphQLStringOrFloat.parseLiteral(literal('12'))).toBe(12);
      expect(GraphQLStringOrFloat.parseLiteral(literal('1.25'))).toBe(1.25);
      expect(GraphQLStringOrFloat.parseLiteral(literal('"$NOW(-1 year)"'))).toBe('$NOW(-1 year)');
      expect(thrown(() => GraphQLStringOrFloat.parseLiteral(literal('true')))).toBe(
        'Value must be either a String or a Float',
      );
      expect(thrown(() => GraphQLStringOrFloat.parseLiteral({ kind: Kind.NULL }))).toBe(
        'Value must be either a String or a Float',
      );
    });
  });

  describe('Void', () => {
    it('is always null', () => {
      expect(GraphQLVoid.serialize('anything')).toBeNull();
      expect(GraphQLVoid.parseValue(1)).toBeNull();
      expect(GraphQLVoid.parseLiteral(literal('"x"'))).toBeNull();
    });
  });
});

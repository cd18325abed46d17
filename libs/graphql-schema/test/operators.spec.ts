import { GraphQLInputObjectType, GraphQLList, getNamedType } from 'graphql';
import { buildGraphqlSchema, operatorKindOf, operatorsOf } from '@lib/graphql-schema';
import { FILTER_OPERATORS, filterTypeOf, isCompareOperator, isOperatorAllowed } from '@lib/query';
import { FIELD_TYPES, makeField, type FieldType } from '@lib/schema';
import { items } from './fixtures';

/** The allow-list REST enforces (spec 2.2), restricted to the operators the read compiler runs. */
function restOperators(type: string): string[] {
  return FILTER_OPERATORS.filter((op) => isCompareOperator(op) && isOperatorAllowed(type, op));
}

describe('filter operators: one table with REST', () => {
  const schema = buildGraphqlSchema(items, { scope: 'items' });

  it('offers exactly what REST allows for each type (timestamp: the date subset)', () => {
    for (const type of FIELD_TYPES) {
      const field = makeField({ collection: 'c', field: 'f', type });
      const kind = operatorKindOf(field);
      if (type === 'alias' || type === 'unknown') {
        expect([type, kind]).toEqual([type, null]);
        continue;
      }
      const offered = operatorsOf(
        {
          id: 'uuid',
          string: 'string',
          number: 'integer',
          bigInt: 'bigInteger',
          date: 'dateTime',
          boolean: 'boolean',
          hash: 'hash',
          json: 'json',
        }[kind!],
      );
      const allowed = restOperators(type);
      // Every operator GraphQL offers is one REST accepts for the field ...
      expect([type, offered.filter((op) => !allowed.includes(op))]).toEqual([type, []]);
      // ... and it offers all of them, except timestamp's pattern/empty operators (Directus types it as a Date).
      const missing = allowed.filter((op) => !offered.includes(op));
      expect([type, missing]).toEqual([
        type,
        type === 'timestamp' ? ['_empty', '_nempty', '_contains', '_ncontains'] : [],
      ]);
    }
  });

  it('treats concealed fields as hash', () => {
    const field = makeField({ collection: 'c', field: 'f', type: 'string', special: ['conceal'] });
    expect(filterTypeOf(field)).toBe('hash');
    expect(operatorKindOf(field)).toBe('hash');
  });

  it('builds each operator input type from the table, with Directus names and value types', () => {
    const expected: Record<string, [FieldType, string]> = {
      string_filter_operators: ['string', 'String'],
      number_filter_operators: ['integer', 'GraphQLStringOrFloat'],
      big_int_filter_operators: ['bigInteger', 'GraphQLBigInt'],
      date_filter_operators: ['dateTime', 'String'],
      boolean_filter_operators: ['boolean', 'Boolean'],
      id_filter_operators: ['uuid', 'ID'],
      hash_filter_operators: ['hash', 'Boolean'],
      json_filter_operators: ['json', 'Boolean'],
    };
    for (const [name, [type, value]] of Object.entries(expected)) {
      const input = schema.getType(name) as GraphQLInputObjectType;
      const fields = input.getFields();
      // `_json` (json columns) leads, typed GraphQLJsonFilter, as in Directus's json_filter_operators.
      const json = isOperatorAllowed(type, '_json') ? ['_json'] : [];
      expect([name, Object.keys(fields)]).toEqual([name, [...json, ...restOperators(type)]]);
      for (const [op, field] of Object.entries(fields)) {
        if (op !== '_json') continue;
        expect([name, op, getNamedType(field.type).name]).toEqual([name, op, 'GraphQLJsonFilter']);
      }
      for (const [op, field] of Object.entries(fields)) {
        const named = getNamedType(field.type).name;
        if (op === '_json') continue;
        if (['_null', '_nnull', '_empty', '_nempty'].includes(op)) expect([op, named]).toEqual([op, 'Boolean']);
        else if (['_between', '_nbetween'].includes(op)) {
          expect(field.type).toBeInstanceOf(GraphQLList);
          expect([name, op, named]).toEqual([name, op, type === 'dateTime' ? 'GraphQLStringOrFloat' : value]);
        } else if (['_in', '_nin'].includes(op)) {
          expect(field.type).toBeInstanceOf(GraphQLList);
          expect([name, op, named]).toEqual([name, op, value]);
        } else expect([name, op, named]).toEqual([name, op, value]);
      }
    }
  });

  it('shares operator types between schemas (built once per process)', () => {
    const other = buildGraphqlSchema(items, { scope: 'items' });
    expect(other.getType('string_filter_operators')).toBe(schema.getType('string_filter_operators'));
  });

  it('reaches function filters through <field>_func keys', () => {
    const filter = (schema.getType('articles_filter') as GraphQLInputObjectType).getFields();
    expect(String(filter.published_at_func!.type)).toBe('datetime_function_filter_operators');
    expect(String(filter.comments_func!.type)).toBe('count_function_filter_operators');
    expect(String(filter.data_func!.type)).toBe('count_function_filter_operators');
    expect(String(filter.starts_func!.type)).toBe('time_function_filter_operators');
    const count = (schema.getType('count_function_filter_operators') as GraphQLInputObjectType).getFields();
    expect(String(count.count!.type)).toBe('number_filter_operators');
    expect(String(filter.comments!.type)).toBe('comments_quantifier_filter');
    const quantifier = (schema.getType('comments_quantifier_filter') as GraphQLInputObjectType).getFields();
    expect(Object.keys(quantifier).slice(-4)).toEqual(['_and', '_or', '_some', '_none']);
    expect(String(quantifier._some!.type)).toBe('comments_filter');
  });
});

import { InvalidQueryError } from '@lib/errors';

/**
 * Splits `a,json(b, c),d` on the commas outside parentheses and trims each part (spec 1.6). Empty parts are dropped.
 * Nested or unbalanced parentheses are an error.
 */
export function splitList(value: string, param: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of value) {
    if (char === '(') {
      if (depth > 0) throw new InvalidQueryError(`Nested functions are not supported in "${param}"`);
      depth++;
    } else if (char === ')') {
      if (depth === 0) throw new InvalidQueryError(`Unbalanced parentheses in "${param}"`);
      depth--;
    }
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (depth !== 0) throw new InvalidQueryError(`Unbalanced parentheses in "${param}"`);
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

/** `author.name` → `author`, `name`; dots inside a function's parentheses (`json(data, a.b)`) don't split. */
export function splitPath(name: string): string[] {
  const segments: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of name) {
    if (char === '(') depth++;
    else if (char === ')') depth = Math.max(0, depth - 1);
    if (char === '.' && depth === 0) {
      segments.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  segments.push(current);
  return segments;
}

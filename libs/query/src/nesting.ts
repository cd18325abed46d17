import { InvalidQueryError } from '@lib/errors';

/**
 * Deepest JSON nesting a query may have. The query parsers recurse per level: a 10,000-deep `_and` would overflow
 * the stack (a 500) before any limit applied. Real queries stay far below this (relational depth is capped too).
 */
const MAX_QUERY_NESTING = 100;

/** Rejects a query (qs object, SEARCH body, or JSON strings inside it) nested deeper than MAX_QUERY_NESTING. */
export function checkNesting(raw: unknown): void {
  const stack: [unknown, number][] = [[raw, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (depth + jsonTextDepth(value) > MAX_QUERY_NESTING) throw tooDeep();
    } else if (typeof value === 'object' && value !== null) {
      if (depth + 1 > MAX_QUERY_NESTING) throw tooDeep();
      for (const inner of Object.values(value)) stack.push([inner, depth + 1]);
    }
  }
}

/** Bracket depth of JSON text (brackets inside string literals don't count), without parsing it. */
function jsonTextDepth(text: string): number {
  if (!/^\s*[[{]/.test(text)) return 0;
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') max = Math.max(max, ++depth);
    else if (ch === '}' || ch === ']') depth--;
  }
  return max;
}

function tooDeep(): InvalidQueryError {
  return new InvalidQueryError('Max query depth exceeded');
}

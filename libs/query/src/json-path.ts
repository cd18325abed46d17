import { InvalidQueryError } from '@lib/errors';

/** One step into a JSON value: an object key, or an array index. */
export type JsonPathSegment = string | number;

/** The deepest path `json()` and `_json` accept (Directus's MAX_JSON_QUERY_DEPTH default). */
export const MAX_JSON_PATH_DEPTH = 10;

const UNSUPPORTED = /\[\]|\.\.|[*?@$]|\[-/;
const ALLOWED = /^[\p{L}\p{N}\p{Extended_Pictographic}\w.[\]]+$/u;

/**
 * A JSON path as `json(field, path)` and `_json` take it (Directus 12): dotted keys and `[n]` indexes —
 * `color`, `settings.theme`, `items[0].name`, `[2]`; a segment of digits is an array index (`items.0`). Wildcards,
 * filters, negative indexes, empty segments and `$`/`@` are refused, and so is a path deeper than
 * {@link MAX_JSON_PATH_DEPTH} steps.
 */
export function parseJsonPath(raw: string): JsonPathSegment[] {
  const path = raw.trim();
  const normalized = path.startsWith('[') ? path : `.${path}`;
  if (UNSUPPORTED.test(normalized) || !ALLOWED.test(normalized)) {
    throw new InvalidQueryError('Invalid JSON path: unsupported path expression');
  }
  const depth = [...normalized].filter((char) => char === '.' || char === '[').length;
  if (depth > MAX_JSON_PATH_DEPTH) {
    throw new InvalidQueryError(`JSON path depth (${depth}) exceeds allowed maximum of ${MAX_JSON_PATH_DEPTH}`);
  }
  const segments: JsonPathSegment[] = [];
  // `.key`, `.key[0][1]` or `[0]`: a key (possibly empty, only as the last step: `author.` reads `author`) followed by
  // bracketed indexes.
  const step = /\.([^.[\]]*)|\[([^\]]*)\]/gy;
  let match: RegExpExecArray | null;
  let end = 0;
  while ((match = step.exec(normalized)) !== null) {
    end = step.lastIndex;
    if (match[1] !== undefined) {
      if (match[1] === '') continue;
      segments.push(/^\d+$/.test(match[1]) ? Number(match[1]) : match[1]);
    } else {
      if (!/^\d+$/.test(match[2]!)) throw new InvalidQueryError('Invalid JSON path: unsupported path expression');
      segments.push(Number(match[2]));
    }
  }
  if (end !== normalized.length || segments.length === 0) {
    throw new InvalidQueryError('Invalid JSON path: unsupported path expression');
  }
  if (segments.some((segment) => typeof segment === 'number' && !Number.isSafeInteger(segment))) {
    throw new InvalidQueryError('Invalid JSON path: unsupported path expression');
  }
  return segments;
}

/** `json(field, path)`'s arguments: the field name and the parsed path (Directus's parseJsonFunction). */
export function parseJsonArguments(args: string): { field: string; path: JsonPathSegment[] } {
  const content = args.trim();
  if (!content) throw new InvalidQueryError('Invalid json() syntax');
  const comma = content.indexOf(',');
  if (comma === -1) throw new InvalidQueryError('Invalid json() syntax: requires json(field, path) format');
  if (comma === 0) throw new InvalidQueryError('Invalid json() syntax: missing field name');
  const field = content.slice(0, comma).trim();
  const path = content.slice(comma + 1).trim();
  if (!path) throw new InvalidQueryError('Invalid json() syntax: missing path');
  return { field, path: parseJsonPath(path) };
}

/**
 * The key a `json()` selection is returned under (Directus's applyFunctionToColumnName): its arguments with every
 * run of `.`, `[`, `]`, `,` and whitespace turned into `_`, then `_json` — `json(data, a.b)` → `data_a_b_json`,
 * `json(data, items[0])` → `data_items_0_json`.
 */
export function jsonOutputKey(args: string): string {
  const slug = args.replace(/[.[\],\s]+/g, '_');
  return `${slug}${slug.endsWith('_') ? '' : '_'}json`;
}

import { FailedValidationError, type FailedValidationExt } from '@lib/errors';

type Rule = Record<string, unknown>;
type Payload = Record<string, unknown>;

/** Directus's wording per failed rule type (packages/validation FailedValidationError). */
function describe(ext: FailedValidationExt): string {
  const list = (v: unknown) => (Array.isArray(v) ? v.map((x) => `"${String(x)}"`).join(', ') : `"${String(v)}"`);
  switch (ext.type) {
    case 'eq':
      return `Value has to be "${String(ext.valid)}"`;
    case 'neq':
      return `Value can't be "${String(ext.invalid)}"`;
    case 'in':
      return `Value has to be one of ${list(ext.valid)}`;
    case 'nin':
      return `Value can't be one of ${list(ext.invalid)}`;
    case 'gt':
      return `Value has to be greater than "${String(ext.valid)}"`;
    case 'gte':
      return `Value has to be greater than or equal to "${String(ext.valid)}"`;
    case 'lt':
      return `Value has to be less than "${String(ext.valid)}"`;
    case 'lte':
      return `Value has to be less than or equal to "${String(ext.valid)}"`;
    case 'between':
      return `Value has to be between ${list(ext.valid)}`;
    case 'nbetween':
      return `Value can't be between ${list(ext.invalid)}`;
    case 'contains':
    case 'icontains':
      return `Value has to contain "${ext.substring}"`;
    case 'ncontains':
      return `Value can't contain "${ext.substring}"`;
    case 'starts_with':
      return `Value has to start with "${ext.substring}"`;
    case 'nstarts_with':
      return `Value can't start with "${ext.substring}"`;
    case 'ends_with':
      return `Value has to end with "${ext.substring}"`;
    case 'nends_with':
      return `Value can't end with "${ext.substring}"`;
    case 'empty':
      return 'Value has to be empty';
    case 'nempty':
      return "Value can't be empty";
    case 'null':
      return 'Value has to be null';
    case 'nnull':
      return "Value can't be null";
    case 'regex':
      return "Value doesn't have the correct format";
    case 'required':
      return 'Value is required';
    default:
      return 'Value is invalid';
  }
}

const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN);
const cmp = (a: unknown, b: unknown) => {
  const x = num(a);
  const y = num(b);
  if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
};
const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/** One operator against one value: null when it holds, else the failure's extensions. */
function checkOperator(field: string, op: string, expected: unknown, value: unknown): FailedValidationExt | null {
  const fail = (extra: Partial<FailedValidationExt>): FailedValidationExt => ({
    field,
    path: [],
    type: op.slice(1),
    ...extra,
  });
  switch (op) {
    case '_eq':
      return String(value) === String(expected) ? null : fail({ valid: expected });
    case '_neq':
      return String(value) !== String(expected) ? null : fail({ invalid: expected });
    case '_in':
      return Array.isArray(expected) && expected.map(String).includes(String(value)) ? null : fail({ valid: expected });
    case '_nin':
      return Array.isArray(expected) && !expected.map(String).includes(String(value))
        ? null
        : fail({ invalid: expected });
    case '_lt':
      return value !== null && cmp(value, expected) < 0 ? null : fail({ valid: expected });
    case '_lte':
      return value !== null && cmp(value, expected) <= 0 ? null : fail({ valid: expected });
    case '_gt':
      return value !== null && cmp(value, expected) > 0 ? null : fail({ valid: expected });
    case '_gte':
      return value !== null && cmp(value, expected) >= 0 ? null : fail({ valid: expected });
    case '_between': {
      const [a, b] = Array.isArray(expected) ? expected : [];
      return value !== null && cmp(value, a) >= 0 && cmp(value, b) <= 0 ? null : fail({ valid: expected });
    }
    case '_nbetween': {
      const [a, b] = Array.isArray(expected) ? expected : [];
      return value === null || cmp(value, a) < 0 || cmp(value, b) > 0 ? null : fail({ invalid: expected });
    }
    case '_null':
      return (expected === false) === (value !== null) ? null : fail({});
    case '_nnull':
      return (expected === false) === (value === null) ? null : fail({});
    case '_empty':
      return value === null || value === '' || (Array.isArray(value) && value.length === 0) ? null : fail({});
    case '_nempty':
      return !(value === null || value === '' || (Array.isArray(value) && value.length === 0)) ? null : fail({});
    case '_contains':
      return str(value).includes(str(expected)) ? null : fail({ substring: str(expected) });
    case '_icontains':
      return str(value).toLowerCase().includes(str(expected).toLowerCase()) ? null : fail({ substring: str(expected) });
    case '_ncontains':
      return !str(value).includes(str(expected)) ? null : fail({ substring: str(expected) });
    case '_starts_with':
      return str(value).startsWith(str(expected)) ? null : fail({ substring: str(expected) });
    case '_nstarts_with':
      return !str(value).startsWith(str(expected)) ? null : fail({ substring: str(expected) });
    case '_ends_with':
      return str(value).endsWith(str(expected)) ? null : fail({ substring: str(expected) });
    case '_nends_with':
      return !str(value).endsWith(str(expected)) ? null : fail({ substring: str(expected) });
    case '_regex': {
      const source = str(expected);
      const match = /^\/(.*)\/([a-z]*)$/s.exec(source);
      let re: RegExp;
      try {
        re = match ? new RegExp(match[1], match[2]) : new RegExp(source);
      } catch {
        return fail({ valid: expected });
      }
      return re.test(str(value)) ? null : fail({});
    }
    default:
      return null;
  }
}

/** Failures of one rule; `_and` needs all, `_or` any. Fields not in the payload are not checked (except `_submitted`). */
function evaluate(rule: Rule, payload: Payload, create: boolean): FailedValidationExt[] {
  const failures: FailedValidationExt[] = [];
  for (const [key, value] of Object.entries(rule)) {
    if (key === '_and' && Array.isArray(value)) {
      for (const sub of value) failures.push(...evaluate(sub as Rule, payload, create));
    } else if (key === '_or' && Array.isArray(value)) {
      const results = value.map((sub) => evaluate(sub as Rule, payload, create));
      if (results.length && results.every((r) => r.length > 0)) failures.push(...results.flat());
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [op, expected] of Object.entries(value as Rule)) {
        if (!op.startsWith('_')) continue; // relational validation paths are not evaluated against a flat payload
        if (op === '_submitted') {
          if (create && !(key in payload)) failures.push({ field: key, path: [], type: 'required' });
          continue;
        }
        if (!(key in payload)) continue;
        const failure = checkOperator(key, op, expected, payload[key] ?? null);
        if (failure) failures.push(failure);
      }
    }
  }
  return failures;
}

/** Validation rules (AND-ed across policies, spec 6.3) against a payload: one FAILED_VALIDATION per failed rule. */
export function validatePayload(
  rules: readonly Rule[],
  payload: Payload,
  action: 'create' | 'update',
): FailedValidationError[] {
  return rules
    .flatMap((rule) => evaluate(rule, payload, action === 'create'))
    .map((ext) => new FailedValidationError(ext, describe(ext)));
}

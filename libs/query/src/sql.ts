/**
 * The only places SQL text is produced from names and values: identifiers are double-quoted here (after the
 * snapshot check), values are bound as parameters here, JSON object keys are rendered here.
 */

/** `"name"`, with embedded quotes doubled. */
export function ident(name: string): string {
  // Called for every name of every compiled statement: skip the replace when there is nothing to double.
  return name.includes('"') ? `"${name.replaceAll('"', '""')}"` : `"${name}"`;
}

/** `"alias"."column"` */
export function column(alias: string, name: string): string {
  return `${ident(alias)}.${ident(name)}`;
}

/**
 * A JSON object key for json_build_object: an escape-string literal (`E'...'`), safe whatever
 * standard_conforming_strings says. Keys are field names from the snapshot or alias keys from the query.
 */
export function jsonKey(key: string): string {
  return `E'${key.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\0', '')}'`;
}

/** Collects bound values; `add` returns the placeholder (`$1`, `$2`, ...), cast when `type` is given. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown, type?: string): string {
    this.values.push(value);
    const placeholder = `$${this.values.length}`;
    return type ? `${placeholder}::${type}` : placeholder;
  }
}

/** Generates unique table and column aliases within one statement. */
export class Aliases {
  private counter = 0;

  next(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }
}

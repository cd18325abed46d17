/** Counts a list read may carry (Directus's `meta`). */
export interface ItemsMeta {
  total_count?: number;
  filter_count?: number;
}

/**
 * What a read (or the re-read after a write) gives back: the JSON text PostgreSQL produced, and its value on demand.
 * REST splices {@link json} into its envelope untouched; GraphQL and WebSocket adapters read {@link data}, parsed
 * once however often it is read. No adapter re-parses what another needs as values.
 */
export class ItemsResult<T = unknown> {
  private parsed?: { value: T };

  constructor(
    readonly json: string,
    readonly meta?: ItemsMeta,
  ) {}

  get data(): T {
    this.parsed ??= { value: JSON.parse(this.json) as T };
    return this.parsed.value;
  }
}

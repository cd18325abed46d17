import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { BUMP_SCHEMA_VERSION_SQL, LOCK_SCHEMA_STATE_SQL, SCHEMA_VERSION_SQL } from '@lib/query';
import type { FieldSnapshot, SchemaSnapshot } from '@lib/schema';
import { Database } from '../../core/database/database.service';
import { loadCatalog, type SchemaCatalog } from './schema-loader';

export const SCHEMA_CHANNEL = 'tessera_schema';

/** The least time between two catalogue reads made because a request named a collection the snapshot lacks. */
const DISCOVERY_INTERVAL_MS = 1000;

/**
 * Serves the current immutable schema snapshot. Every schema change bumps `tessera_schema_state.version` in its own
 * transaction and NOTIFYs the new version on commit; every instance LISTENs and reloads, so a second process sees a
 * change within milliseconds without a restart.
 *
 * A table or view created in the database directly (not through Tessera: no version bump, no NOTIFY) is found when a
 * request names it: see {@link discover}.
 */
@Injectable()
export class SchemaRegistry implements OnApplicationBootstrap {
  private readonly logger = new Logger('SchemaRegistry');
  private catalog!: SchemaCatalog;
  private reloading: Promise<void> | null = null;
  private pendingVersion = 0;
  /** Why the last reload failed; null once a reload succeeds. /server/health reports it. */
  private failure: Error | null = null;
  /** The catalogue read in flight for {@link discover}. */
  private discovering: Promise<void> | null = null;
  private lastDiscovery = 0;
  /** Views already warned about (no `id` column, so no collection): each is logged once per process. */
  private readonly warnedViews = new Set<string>();

  constructor(private readonly db: Database) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.db.listen(SCHEMA_CHANNEL, (payload) => void this.onNotify(Number(payload)));
    await this.reload();
  }

  /** The snapshot every read and write of this request works against. */
  get snapshot(): SchemaSnapshot {
    return this.catalog.snapshot;
  }

  get folders(): SchemaCatalog['folders'] {
    return this.catalog.folders;
  }

  /** The fields of `collection` as /fields lists them (the snapshot's, and its no-data aliases), in order. */
  fieldList(collection: string): FieldSnapshot[] {
    const fields = this.catalog.snapshot.collections[collection]?.fields;
    return (this.catalog.fieldLists[collection] ?? []).map((f) => fields?.[f.field] ?? f);
  }

  /** One field of `collection` as /fields sees it (a no-data alias included), or undefined. */
  fieldOf(collection: string, field: string): FieldSnapshot | undefined {
    return (
      this.catalog.snapshot.collections[collection]?.fields[field] ??
      this.catalog.fieldLists[collection]?.find((f) => f.field === field)
    );
  }

  get version(): number {
    return this.catalog?.snapshot.version ?? 0;
  }

  /** The last reload's error, while no later reload has succeeded. */
  get lastFailure(): Error | null {
    return this.failure;
  }

  /** The schema version the database holds now (what a reload would serve). */
  async committedVersion(): Promise<number> {
    const [row] = await this.db.query<{ version: string }>(SCHEMA_VERSION_SQL);
    return Number(row?.version ?? 0);
  }

  /** Reloads now (coalescing concurrent calls) and resolves once the newest committed version is served. */
  async reload(): Promise<void> {
    if (this.reloading) return this.reloading;
    this.reloading = (async () => {
      try {
        const started = Date.now();
        let catalog: SchemaCatalog;
        try {
          catalog = await loadCatalog(this.db);
        } catch (error) {
          this.failure = error instanceof Error ? error : new Error(String(error));
          throw error;
        }
        this.failure = null;
        for (const view of catalog.ignoredViews) {
          if (this.warnedViews.has(view)) continue;
          this.warnedViews.add(view);
          this.logger.warn({ msg: 'view ignored: it has no "id" column to serve as its primary key', view });
        }
        if (!this.catalog || catalog.snapshot.version >= this.catalog.snapshot.version) this.catalog = catalog;
        this.logger.log({
          msg: 'schema loaded',
          version: catalog.snapshot.version,
          collections: Object.keys(catalog.snapshot.collections).length,
          ms: Date.now() - started,
        });
      } finally {
        this.reloading = null;
      }
    })();
    await this.reloading;
    if (this.pendingVersion > this.version) await this.reload();
  }

  /** Whether `name` is a collection or a folder of the snapshot served now. */
  knows(name: string): boolean {
    return !!this.catalog.snapshot.collections[name] || this.catalog.folders.some((f) => f.collection === name);
  }

  /**
   * A request names `name`, which the snapshot doesn't know: it may be a table or view created in the database
   * directly, which bumped no version. Reads the catalogue unless a read began less than
   * {@link DISCOVERY_INTERVAL_MS} ago (then returns at once; callers arriving while a read is in flight wait for it):
   * at most one read a second, never a wait for an unknown name's 403. When the catalogue holds a collection the
   * snapshot lacks, the read bumps the schema version (NOTIFY: every instance reloads; caches keyed by version or by
   * snapshot move on) and serves the new snapshot. Otherwise nothing changes and the caller answers as for any
   * unknown name (403).
   */
  async discover(name: string): Promise<void> {
    if (this.knows(name)) return;
    if (this.discovering) return this.discovering;
    if (Date.now() - this.lastDiscovery < DISCOVERY_INTERVAL_MS) return;
    this.lastDiscovery = Date.now();
    const read = this.discoverNow(name).finally(() => (this.discovering = null));
    this.discovering = read;
    return read;
  }

  private async discoverNow(name: string): Promise<void> {
    const catalog = await loadCatalog(this.db);
    const current = this.catalog.snapshot.collections;
    if (!Object.keys(catalog.snapshot.collections).some((c) => !current[c])) return;
    await this.db.transaction(async () => {
      await this.db.query(LOCK_SCHEMA_STATE_SQL);
      await this.bumpVersion();
    });
    await this.reload();
    this.logger.log({ msg: 'schema found in the database', collection: name, version: this.version });
  }

  private async onNotify(version: number): Promise<void> {
    if (!Number.isFinite(version) || version <= this.version) return;
    this.pendingVersion = Math.max(this.pendingVersion, version);
    try {
      await this.reload();
    } catch (error) {
      this.logger.error({ msg: 'schema reload failed', error: String(error) });
    }
  }

  /** Called inside a schema-changing transaction: bumps the version; the NOTIFY is delivered on commit. */
  async bumpVersion(): Promise<number> {
    const [{ version }] = await this.db.query<{ version: string }>(BUMP_SCHEMA_VERSION_SQL);
    await this.db.notify(SCHEMA_CHANNEL, version);
    return Number(version);
  }
}

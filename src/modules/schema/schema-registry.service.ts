import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { BUMP_SCHEMA_VERSION_SQL, SCHEMA_VERSION_SQL } from '@lib/query';
import type { FieldSnapshot, SchemaSnapshot } from '@lib/schema';
import { Database } from '../../core/database/database.service';
import { loadCatalog, type SchemaCatalog } from './schema-loader';

export const SCHEMA_CHANNEL = 'tessera_schema';

/**
 * Serves the current immutable schema snapshot. Every schema change bumps `tessera_schema_state.version` in its own
 * transaction and NOTIFYs the new version on commit; every instance LISTENs and reloads, so a second process sees a
 * change within milliseconds without a restart.
 */
@Injectable()
export class SchemaRegistry implements OnApplicationBootstrap {
  private readonly logger = new Logger('SchemaRegistry');
  private catalog!: SchemaCatalog;
  private reloading: Promise<void> | null = null;
  private pendingVersion = 0;
  /** Why the last reload failed; null once a reload succeeds. /server/health reports it. */
  private failure: Error | null = null;

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

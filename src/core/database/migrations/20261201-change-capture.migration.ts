import { Migration } from '@mikro-orm/migrations';

/**
 * The change capture's tables (revisions issue, realtime issue):
 * - `tessera_changes`, the change log realtime reads: one row per set-based write (one collection, one action, its
 *   keys), appended in the writing transaction and announced with `NOTIFY tessera_changes '<first id>-<last id>'`,
 *   so it is delivered on commit only. `before` holds, for updates and deletes, the rows as they were before the
 *   write (`to_jsonb` of each row, in `keys` order; `jsonb_populate_recordset(NULL::"<collection>", before)` gives
 *   them back as rows), so a deleted row's former readers can still be told apart.
 * - the indexes retention needs on `directus_activity` / `directus_revisions`, with the names Directus gives them
 *   (a database Directus made already has them: nothing is created there).
 */
export class ChangeCaptureMigration extends Migration {
  override name = '20261201-change-capture';

  override up(): void {
    this.addSql(`
create table if not exists "tessera_changes" (
  "id" bigserial primary key,
  "request_id" text not null,
  "collection" text not null,
  "action" varchar(10) not null,
  "keys" jsonb not null,
  "before" jsonb,
  "user" uuid,
  "created_at" timestamptz not null default current_timestamp
);
create index if not exists "tessera_changes_created_at_index" on "tessera_changes" ("created_at");
create index if not exists "directus_activity_timestamp_index" on "directus_activity" ("timestamp");
create index if not exists "directus_revisions_activity_index" on "directus_revisions" ("activity");
create index if not exists "directus_revisions_parent_index" on "directus_revisions" ("parent");
`);
  }
}

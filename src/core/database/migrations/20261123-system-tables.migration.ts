import { Migration } from '@mikro-orm/migrations';
import { ChangeCaptureMigration } from './20261201-change-capture.migration';

/** The Public policy's id, as Directus's own migration creates it (spec 6.1). */
export const PUBLIC_POLICY_ID = 'abf8a154-5b1c-4a46-ac9c-7300570f4f17';

/**
 * The Directus system tables Tessera uses, with Directus's table and column names and types (DESIGN.md, spec 4.1, 5,
 * 6.1, 7), in creation order. On a database Directus made they already exist and are adopted as they are.
 */
export const DIRECTUS_TABLES: readonly (readonly [table: string, ddl: string])[] = [
  [
    'directus_collections',
    `create table "directus_collections" (
  "collection" varchar(64) primary key,
  "icon" varchar(64), "note" text, "display_template" varchar(255),
  "hidden" boolean not null default false, "singleton" boolean not null default false,
  "translations" json, "archive_field" varchar(64), "archive_app_filter" boolean not null default true,
  "archive_value" varchar(255), "unarchive_value" varchar(255), "sort_field" varchar(64),
  "accountability" varchar(255) default 'all', "color" varchar(255), "item_duplication_fields" json,
  "sort" integer, "group" varchar(64), "collapse" varchar(255) not null default 'open',
  "preview_url" varchar(255), "versioning" boolean not null default false
);`,
  ],
  [
    'directus_fields',
    `create table "directus_fields" (
  "id" serial primary key,
  "collection" varchar(64) not null, "field" varchar(64) not null,
  "special" varchar(64), "interface" varchar(64), "options" json, "display" varchar(64), "display_options" json,
  "readonly" boolean not null default false, "hidden" boolean not null default false, "sort" integer,
  "width" varchar(30) default 'full', "translations" json, "note" text, "conditions" json,
  "required" boolean default false, "group" varchar(64), "validation" json, "validation_message" text,
  "searchable" boolean not null default true,
  unique ("collection", "field")
);`,
  ],
  [
    'directus_relations',
    `create table "directus_relations" (
  "id" serial primary key,
  "many_collection" varchar(64) not null, "many_field" varchar(64) not null,
  "one_collection" varchar(64), "one_field" varchar(64), "one_collection_field" varchar(64),
  "one_allowed_collections" text, "junction_field" varchar(64), "sort_field" varchar(64),
  "one_deselect_action" varchar(255) not null default 'nullify',
  unique ("many_collection", "many_field")
);`,
  ],
  [
    'directus_roles',
    `create table "directus_roles" (
  "id" uuid primary key, "name" varchar(100) not null, "icon" varchar(64) not null default 'supervised_user_circle',
  "description" text, "parent" uuid references "directus_roles" ("id") on delete set null
);`,
  ],
  [
    'directus_policies',
    `create table "directus_policies" (
  "id" uuid primary key, "name" varchar(100) not null, "icon" varchar(64) not null default 'badge',
  "description" text, "ip_access" text, "enforce_tfa" boolean not null default false,
  "admin_access" boolean not null default false, "app_access" boolean not null default false
);`,
  ],
  [
    'directus_users',
    `create table "directus_users" (
  "id" uuid primary key, "first_name" varchar(50), "last_name" varchar(50), "email" varchar(128) unique,
  "password" varchar(255), "location" varchar(255), "title" varchar(50), "description" text, "tags" json,
  "avatar" uuid, "language" varchar(255), "tfa_secret" varchar(255), "status" varchar(16) not null default 'active',
  "role" uuid references "directus_roles" ("id") on delete set null, "token" varchar(255) unique,
  "last_access" timestamptz, "last_page" varchar(255), "provider" varchar(128) not null default 'default',
  "external_identifier" varchar(255) unique, "auth_data" json, "email_notifications" boolean default true,
  "appearance" varchar(255), "theme_dark" varchar(255), "theme_light" varchar(255),
  "theme_light_overrides" json, "theme_dark_overrides" json, "text_direction" varchar(255) not null default 'auto'
);`,
  ],
  [
    'directus_access',
    `create table "directus_access" (
  "id" uuid primary key,
  "role" uuid references "directus_roles" ("id") on delete cascade,
  "user" uuid references "directus_users" ("id") on delete cascade,
  "policy" uuid not null references "directus_policies" ("id") on delete cascade,
  "sort" integer
);`,
  ],
  [
    'directus_permissions',
    `create table "directus_permissions" (
  "id" serial primary key, "collection" varchar(64) not null, "action" varchar(10) not null,
  "permissions" json, "validation" json, "presets" json, "fields" text,
  "policy" uuid not null references "directus_policies" ("id") on delete cascade
);`,
  ],
  [
    'directus_sessions',
    `create table "directus_sessions" (
  "token" varchar(64) primary key, "user" uuid references "directus_users" ("id") on delete cascade,
  "expires" timestamptz not null, "ip" varchar(255), "user_agent" text, "share" uuid, "origin" varchar(255),
  "next_token" varchar(64)
);`,
  ],
  [
    'directus_activity',
    `create table "directus_activity" (
  "id" serial primary key, "action" varchar(45) not null, "user" uuid,
  "timestamp" timestamptz not null default current_timestamp, "ip" varchar(50), "user_agent" text,
  "collection" varchar(64) not null, "item" varchar(255) not null, "origin" varchar(255)
);`,
  ],
  [
    'directus_revisions',
    `create table "directus_revisions" (
  "id" serial primary key,
  "activity" integer not null references "directus_activity" ("id") on delete cascade,
  "collection" varchar(64) not null, "item" varchar(255) not null, "data" json, "delta" json,
  "parent" integer references "directus_revisions" ("id") on delete set null, "version" uuid
);`,
  ],
];

const TESSERA_SCHEMA_STATE = `create table "tessera_schema_state" (
  "id" integer primary key default 1 check ("id" = 1),
  "version" bigint not null default 1,
  "updated_at" timestamptz not null default current_timestamp
);
insert into "tessera_schema_state" ("id", "version") values (1, 1);`;

/**
 * The system tables, or the adoption of Directus's. It looks at what the database holds first:
 * - no `directus_*` table (a new database): creates them all, with the Public policy (`abf8a154-…`) and its access
 *   row, as Directus's own migrations do;
 * - a database Directus made (11 or later: it has `directus_policies`): creates none of them and writes nothing into
 *   them. Directus's tables, rows and extra columns stay exactly as they are, so Directus can boot on it again;
 * - a Directus database without one of the tables Tessera needs (Directus 10 and older have no policies): stops with
 *   an error naming them, since creating them would break Directus's own upgrade of that database.
 * Either way `tessera_schema_state` (Tessera's only table here, besides `tessera_migrations`) is created if absent.
 */
export class SystemTablesMigration extends Migration {
  override name = '20261123-system-tables';

  override async up(): Promise<void> {
    const rows = await this.execute(
      `SELECT "tablename" FROM "pg_tables" WHERE "schemaname" = 'public'
       AND (left("tablename", 9) = 'directus_' OR left("tablename", 8) = 'tessera_')`,
    );
    const existing = new Set(rows.map((r) => String(r.tablename)));
    const directusMade = [...existing].some((t) => t.startsWith('directus_'));
    if (directusMade) {
      const missing = DIRECTUS_TABLES.map(([table]) => table).filter((table) => !existing.has(table));
      if (missing.length) {
        throw new Error(
          `This database has Directus system tables but not ${missing.join(', ')}: it was made by a Directus version ` +
            `Tessera cannot adopt (Directus 11 or later is needed). Upgrade it with Directus first; Tessera creates ` +
            `no Directus table in a Directus database.`,
        );
      }
    } else {
      for (const [, ddl] of DIRECTUS_TABLES) this.addSql(ddl);
      this.addSql(`insert into "directus_policies" ("id", "name", "icon", "description", "app_access", "admin_access")
  values ('${PUBLIC_POLICY_ID}', '$t:public_label', 'public', '$t:public_description', false, false);
insert into "directus_access" ("id", "role", "user", "policy", "sort")
  values (gen_random_uuid(), null, null, '${PUBLIC_POLICY_ID}', 1);`);
    }
    if (!existing.has('tessera_schema_state')) this.addSql(TESSERA_SCHEMA_STATE);
  }
}

export const MIGRATIONS = [
  { name: '20261123-system-tables', class: SystemTablesMigration },
  { name: '20261201-change-capture', class: ChangeCaptureMigration },
];

import { defineEntity, p } from '@mikro-orm/postgresql';

/**
 * System tables mapped for MikroORM. The tables themselves are created by migrations (the schema generator is never
 * run), with Directus's names and columns; only what the services use through the ORM is mapped here.
 */
export const DirectusUser = defineEntity({
  name: 'DirectusUser',
  tableName: 'directus_users',
  properties: {
    id: p.uuid().primary(),
    email: p.string().nullable(),
    password: p.string().nullable().hidden(),
    first_name: p.string().nullable(),
    last_name: p.string().nullable(),
    status: p.string(),
    role: p.uuid().nullable(),
    token: p.string().nullable().hidden(),
    provider: p.string(),
    last_access: p.datetime().nullable(),
  },
});

export const DirectusSession = defineEntity({
  name: 'DirectusSession',
  tableName: 'directus_sessions',
  properties: {
    token: p.string().primary(),
    user: p.uuid().nullable(),
    expires: p.datetime(),
    ip: p.string().nullable(),
    user_agent: p.text().nullable(),
    origin: p.string().nullable(),
    next_token: p.string().nullable(),
  },
});

export const SYSTEM_ENTITIES = [DirectusUser, DirectusSession];

import { randomUUID } from 'node:crypto';
import type { TestApp } from './support/app';

/**
 * Shared setup for the permissions and security e2e suites: schema through /collections, /fields and /relations,
 * and roles, policies, access rows and users through the real system API as admin.
 */

export type Row = Record<string, unknown>;

export const PUBLIC_POLICY = 'abf8a154-5b1c-4a46-ac9c-7300570f4f17';

export const FORBIDDEN = {
  errors: [{ message: "You don't have permission to access this.", extensions: { code: 'FORBIDDEN' } }],
};

export function forbidden(message: string) {
  return { errors: [{ message, extensions: { code: 'FORBIDDEN', reason: message } }] };
}

/** 403 for a field that is forbidden or missing (spec 15). */
export function fieldForbidden(field: string, collection: string, where = 'root') {
  return forbidden(
    `You don't have permission to access field "${field}" in collection "${collection}" or it does not exist. Queried in ${where}.`,
  );
}

/** 403 for a collection that is forbidden or missing. */
export function collectionForbidden(collection: string, where = 'root') {
  return forbidden(
    `You don't have permission to access collection "${collection}" or it does not exist. Queried in ${where}.`,
  );
}

/** Sends as admin and fails loudly unless 200/204. */
export async function admin(
  t: TestApp,
  method: 'get' | 'post' | 'patch' | 'delete',
  path: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- supertest's method index
): Promise<any> {
  const req = t.http[method](path).set(t.admin);
  const res = body === undefined ? await req : await req.send(body as object);
  if (res.status !== 200 && res.status !== 204) {
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body?.data;
}

export async function collection(t: TestApp, name: string, fields: unknown[]): Promise<void> {
  await admin(t, 'post', '/collections', { collection: name, schema: {}, fields });
}

export async function relation(t: TestApp, body: Row): Promise<void> {
  await admin(t, 'post', '/relations', body);
}

export async function alias(t: TestApp, c: string, name: string, special: string): Promise<void> {
  await admin(t, 'post', `/fields/${c}`, { field: name, type: 'alias', meta: { special: [special] } });
}

export interface PermissionSpec {
  collection: string;
  action: 'create' | 'read' | 'update' | 'delete';
  fields?: string[];
  permissions?: Row | null;
  validation?: Row | null;
  presets?: Row | null;
}

export async function policy(
  t: TestApp,
  permissions: PermissionSpec[],
  over: Row = {},
): Promise<{ id: string; [k: string]: unknown }> {
  return admin(t, 'post', '/policies', {
    name: `policy-${randomUUID().slice(0, 8)}`,
    admin_access: false,
    app_access: false,
    permissions: permissions.map((p) => ({ fields: ['*'], ...p })),
    ...over,
  });
}

export async function role(t: TestApp, parent?: string): Promise<string> {
  const r = await admin(t, 'post', '/roles', {
    name: `role-${randomUUID().slice(0, 8)}`,
    ...(parent ? { parent } : {}),
  });
  return r.id;
}

export async function attach(t: TestApp, target: { role?: string; user?: string }, policyId: string): Promise<void> {
  await admin(t, 'post', '/access', { ...target, policy: policyId });
}

export interface TestUser {
  id: string;
  role: string | null;
  token: string;
  auth: { Authorization: string };
}

/** A user with a static token; `role` may be null (role-less user). */
export async function user(t: TestApp, role: string | null, over: Row = {}): Promise<TestUser> {
  const token = `tok-${randomUUID()}`;
  const u = await admin(t, 'post', '/users', {
    email: `u-${randomUUID().slice(0, 8)}@example.com`,
    password: 'secret-pw',
    role,
    token,
    ...over,
  });
  return { id: u.id, role, token, auth: { Authorization: `Bearer ${token}` } };
}

/** A fresh role with the given policies (each a permission list) and one user in it. */
export async function userWith(
  t: TestApp,
  ...policies: PermissionSpec[][]
): Promise<TestUser & { policies: string[] }> {
  const r = await role(t);
  const ids: string[] = [];
  for (const perms of policies) {
    const p = await policy(t, perms);
    await attach(t, { role: r }, p.id);
    ids.push(p.id);
  }
  return { ...(await user(t, r)), policies: ids };
}

export async function rows(t: TestApp, sql: string, params: unknown[] = []): Promise<Row[]> {
  const res = await t.db.client.query(sql, params);
  return res.rows;
}

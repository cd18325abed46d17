/**
 * Who is asking. Filled from a token by the auth module and carried, unchanged, through every transport (REST,
 * GraphQL, WebSocket) into the domain services. Mirrors Directus's accountability object (spec 6.2).
 */
export interface Accountability {
  readonly user: string | null;
  readonly role: string | null;
  /** The user's role and all its parents. */
  readonly roles: readonly string[];
  /** Policy ids in effect, parent-role policies first, then child-role, then user policies. */
  readonly policies: readonly string[];
  readonly admin: boolean;
  readonly app: boolean;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly origin: string | null;
}

export function publicAccountability(
  policies: readonly string[],
  meta: Pick<Accountability, 'ip' | 'userAgent' | 'origin'> = { ip: null, userAgent: null, origin: null },
): Accountability {
  return { user: null, role: null, roles: [], policies, admin: false, app: false, ...meta };
}

/** Internal calls (bootstrap, migrations, revert of system data): full access, no user. */
export const SYSTEM_ACCOUNTABILITY: Accountability = Object.freeze({
  user: null,
  role: null,
  roles: [],
  policies: [],
  admin: true,
  app: true,
  ip: null,
  userAgent: null,
  origin: null,
});

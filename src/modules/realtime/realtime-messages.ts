import { DirectusError } from '@lib/errors';
import { toErrorEnvelope } from '../../core/errors/error-envelope';
import { isObject } from '../items/items-input';

/**
 * The wire shapes of the REST-style WebSocket protocol (spec 10, 15): incoming messages are JSON objects with a
 * `type` and an optional `uid` (echoed as a string); errors are `{type, status:'error', error:{code, message}, uid?}`.
 */

export type Message = Record<string, unknown> & { type: string };

/** A client's `uid` as Directus keeps it: a string (numbers are turned into strings); absent stays absent. */
export function uidOf(message: Record<string, unknown>): string | undefined {
  const uid = message.uid;
  if (typeof uid === 'string') return uid;
  if (typeof uid === 'number' && Number.isFinite(uid)) return String(uid);
  return undefined;
}

/** The frame as a message, or null when it is not a JSON object with a string `type`. */
export function parseMessage(data: string): Message | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObject(value) || typeof value.type !== 'string') return null;
  // Directus compares the type as sent (getMessageType: String(message.type)), without changing its case.
  return value as Message;
}

export interface WsError {
  type: string;
  status: 'error';
  error: { code: string; message: string };
  uid?: string;
}

export function wsError(type: string, code: string, message: string, uid?: string): WsError {
  const out: WsError = { type, status: 'error', error: { code, message } };
  if (uid !== undefined) out.uid = uid;
  return out;
}

/**
 * Anything thrown by a handler, as the error message of context `type`: Directus errors keep their code and message
 * (and, as 12.4.1 does, the client's uid); database constraint errors are mapped as REST maps them; anything else is
 * INTERNAL_SERVER_ERROR with the real message for admins only.
 */
export function errorOf(type: string, error: unknown, admin: boolean, uid?: string): WsError {
  if (error instanceof RealtimeError) return wsError(type, error.code, error.message, uid);
  if (error instanceof DirectusError) return wsError(type, error.code, error.message, uid);
  const [first] = toErrorEnvelope(error, { admin, path: '/websocket' }).body.errors;
  return wsError(type, String(first.extensions.code), first.message, uid);
}

/** Directus's answer to a frame that is not a JSON message. */
export const UNPARSABLE = wsError('server', 'INVALID_PAYLOAD', 'Unable to parse the incoming message.');

export const INVALID_COLLECTION_MESSAGE = 'The provided collection does not exists or is not accessible.';

/** An error whose code and message are the WebSocket protocol's own (not a Directus error's). */
export class RealtimeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

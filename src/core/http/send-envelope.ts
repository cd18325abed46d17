import type { Response } from 'express';

/**
 * Writes `{"data":<json text>[,"meta":{...}]}` without parsing the JSON that PostgreSQL produced: the items read
 * path returns the whole tree as text, and re-serialising it would cost more than the query.
 */
export function sendDataEnvelope(res: Response, data: string, meta?: object): void {
  res.status(200).type('application/json');
  res.send(meta ? `{"data":${data},"meta":${JSON.stringify(meta)}}` : `{"data":${data}}`);
}

/** An items result: the data envelope, or 204 with no body when there is nothing the caller may read. */
export function sendItemsResult(res: Response, result: { data: string; meta?: object } | null): void {
  if (result === null) res.status(204).end();
  else sendDataEnvelope(res, result.data, result.meta);
}

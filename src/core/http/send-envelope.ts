import type { Response } from 'express';

/**
 * Writes `{"data":<json text>[,"meta":{...}]}` without parsing the JSON that PostgreSQL produced: the items read
 * path returns the whole tree as text, and re-serialising it would cost more than the query.
 */
export function sendDataEnvelope(res: Response, data: string, meta?: object): void {
  res.status(200).type('application/json');
  res.send(meta ? `{"data":${data},"meta":${JSON.stringify(meta)}}` : `{"data":${data}}`);
}

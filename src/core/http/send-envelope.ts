import type { Response } from 'express';

/**
 * Writes `{"data":<json text>[,"meta":{...}]}` without parsing the JSON that PostgreSQL produced: the items read
 * path returns the whole tree as text, and re-serialising it would cost more than the query.
 */
export function sendDataEnvelope(res: Response, data: string, meta?: object): void {
  const body = meta ? `{"data":${data},"meta":${JSON.stringify(meta)}}` : `{"data":${data}}`;
  // The header as express would write it, and the body as the Buffer express would make of it for the ETag: sent
  // this way, express neither looks the type up nor re-parses the header to add the charset.
  res.status(200).setHeader('Content-Type', 'application/json; charset=utf-8');
  res.send(Buffer.from(body, 'utf8'));
}

/** An items result: the data envelope, or 204 with no body when there is nothing the caller may read. */
export function sendItemsResult(res: Response, result: { data: string; meta?: object } | null): void {
  if (result === null) res.status(204).end();
  else sendDataEnvelope(res, result.data, result.meta);
}

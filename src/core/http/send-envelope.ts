import type { Response } from 'express';

/**
 * Writes `{"data":<json text>[,"meta":{...}]}` without parsing the JSON that PostgreSQL produced: the items read
 * path returns the whole tree as text, and re-serialising it would cost more than the query.
 */
export function sendDataEnvelope(res: Response, data: string, meta?: object): void {
  const body = Buffer.from(meta ? `{"data":${data},"meta":${JSON.stringify(meta)}}` : `{"data":${data}}`, 'utf8');
  // The header as express would write it: express then neither looks the type up nor re-parses it for the charset.
  res.status(200).setHeader('Content-Type', 'application/json; charset=utf-8');
  const method = res.req.method;
  if (method === 'GET' || method === 'HEAD') {
    // res.send adds the ETag and answers a matching If-None-Match with 304.
    res.send(body);
    return;
  }
  // A write's response can't be revalidated, so its ETag (a SHA-1 of the body, ~5 µs) would never be used.
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

/**
 * An items result: the data envelope with the JSON text PostgreSQL produced spliced in, or 204 with no body when there
 * is nothing the caller may read.
 */
export function sendItemsResult(res: Response, result: { json: string; meta?: object } | null): void {
  if (result === null) res.status(204).end();
  else sendDataEnvelope(res, result.json, result.meta);
}

import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

const logger = new Logger('HTTP');

/** One structured log line per request, with status and duration. */
export function requestLogger(req: Request, res: Response, next: NextFunction): void {
  if (!Logger.isLevelEnabled('log')) return next(); // LOG_LEVEL=warn or error: no per-request line to build
  const started = process.hrtime.bigint();
  // Read now: a router mounted on a path rewrites req.url while it handles the request, and a request that fails
  // there finishes with the rewritten one ("/" for a 401 thrown by the auth middleware).
  const path = req.path;
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    logger.log({ method: req.method, path, status: res.statusCode, ms: Math.round(ms * 100) / 100 });
  });
  next();
}

import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { toErrorEnvelope } from './error-envelope';
import type { Accountability } from '../context/accountability';

/** The REST transport's one mapping of domain errors to HTTP (GraphQL and WebSocket have their own). */
@Catch()
export class DirectusExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { accountability?: Accountability }>();
    const res = ctx.getResponse<Response>();
    sendError(res, req, error, this.logger);
  }
}

export function sendError(
  res: Response,
  req: Request & { accountability?: Accountability },
  error: unknown,
  logger: Logger,
): void {
  const envelope = toErrorEnvelope(error, { admin: req.accountability?.admin === true, path: req.path });
  if (envelope.status >= 500) {
    logger.error({ msg: 'unexpected error', method: req.method, path: req.path, error: describe(error) });
  }
  if (res.headersSent) return;
  res.status(envelope.status).json(envelope.body);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
}

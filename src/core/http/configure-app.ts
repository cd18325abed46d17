import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { ContentTooLargeError, InvalidPayloadError } from '@lib/errors';
import type { Config } from '../../config/config';
import { DirectusExceptionFilter, sendError } from '../errors/directus-exception.filter';
import { RoutedWsAdapter } from '../transport/routed-ws-adapter';
import { UpgradeRouter } from '../transport/upgrade-router';
import { parseQueryString } from './query-string';
import { requestLogger } from './request-logger.middleware';

const logger = new Logger('HTTP');

/**
 * Everything the HTTP server needs before `init()`, shared by main.ts, the CLI and the e2e tests so that they all run
 * the same stack: qs query parsing as Directus (QUERYSTRING_MAX_PARSE_DEPTH, QUERYSTRING_ARRAY_LIMIT), JSON bodies up to MAX_PAYLOAD_SIZE with
 * Directus errors for bad JSON, no x-powered-by, and the error envelope everywhere; and the HTTP server's one
 * WebSocket upgrade router (every WebSocket endpoint registers its path there; Nest gateways through RoutedWsAdapter).
 */
export function configureApp(app: NestExpressApplication, config: Config): void {
  const express = app.getHttpAdapter().getInstance();
  express.disable('x-powered-by');
  const limits = { depth: config.queryStringMaxParseDepth, arrayLimit: config.queryStringArrayLimit };
  express.set('query parser', (query: string) => parseQueryString(query, limits));
  express.set('trust proxy', true);
  app.use((req: Request, res: Response, next: NextFunction) => {
    // express 5 parses the query string again on every read of req.query (the auth middleware and @Query() each
    // read it): parse it once and keep the result.
    Object.defineProperty(req, 'query', { value: req.query, writable: true, configurable: true, enumerable: true });
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Vary', 'Origin, Cache-Control');
    requestLogger(req, res, next);
  });
  app.useBodyParser('json', { limit: config.maxPayloadSize, type: ['application/json', 'application/*+json'] });
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    const type = (error as { type?: string })?.type;
    if (type === 'entity.parse.failed') {
      return sendError(res, req, new InvalidPayloadError((error as Error).message), logger);
    }
    if (type === 'entity.too.large') return sendError(res, req, new ContentTooLargeError(), logger);
    if (type) return sendError(res, req, new InvalidPayloadError((error as Error).message), logger);
    next(error);
  });
  app.useGlobalFilters(new DirectusExceptionFilter());
  UpgradeRouter.for(app.getHttpServer());
  app.useWebSocketAdapter(new RoutedWsAdapter(app));
}

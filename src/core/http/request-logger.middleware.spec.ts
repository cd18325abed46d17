import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { requestLogger } from './request-logger.middleware';

describe('requestLogger', () => {
  afterEach(() => jest.restoreAllMocks());

  it('logs the path the request came with, even if a router rewrote it before the response finished', () => {
    jest.spyOn(Logger, 'isLevelEnabled').mockReturnValue(true);
    const lines: unknown[] = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => {
      lines.push(message);
    });
    const req = { method: 'GET', path: '/items/nope' } as Request;
    const res = Object.assign(new EventEmitter(), { statusCode: 401 }) as unknown as Response;
    let called = false;
    requestLogger(req, res, (() => (called = true)) as NextFunction);
    (req as { path: string }).path = '/';
    res.emit('finish');
    expect(called).toBe(true);
    expect(lines).toEqual([{ method: 'GET', path: '/items/nope', status: 401, ms: expect.any(Number) }]);
  });
});

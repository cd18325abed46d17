import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Accountability } from '../context/accountability';

/** The request's accountability, put there by the auth middleware. */
export const Acc = createParamDecorator((_: unknown, ctx: ExecutionContext): Accountability => {
  return ctx.switchToHttp().getRequest<{ accountability: Accountability }>().accountability;
});

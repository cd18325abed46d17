import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Accountability } from '../context/accountability';
import type { ItemsContext } from '../context/items-context';

/** The request's accountability, put there by the auth middleware. */
export const Acc = createParamDecorator((_: unknown, ctx: ExecutionContext): Accountability => {
  return ctx.switchToHttp().getRequest<{ accountability: Accountability }>().accountability;
});

/** The request's ItemsContext, made once per HTTP request by the items context middleware. */
export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext): ItemsContext => {
  return ctx.switchToHttp().getRequest<{ itemsContext: ItemsContext }>().itemsContext;
});

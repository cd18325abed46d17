import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ForbiddenError } from '@lib/errors';
import type { Accountability } from '../../core/context/accountability';

/** Routes that only admins may use (the schema routes until per-collection permissions land). */
@Injectable()
export class AdminOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ accountability?: Accountability }>();
    if (!req.accountability?.admin) throw new ForbiddenError();
    return true;
  }
}

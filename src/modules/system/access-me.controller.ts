import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { ItemsContext } from '../../core/context/items-context';
import { Ctx } from '../../core/http/request-context.decorator';
import { sendItemsResult } from '../../core/http/send-envelope';
import { AccessMeService } from './access-me.service';

/** GET /roles/me; registered before /roles/:id. */
@Controller('roles')
export class RolesMeController {
  constructor(private readonly me: AccessMeService) {}

  @Get('me')
  async roles(@Query() q: unknown, @Ctx() ctx: ItemsContext, @Res() res: Response) {
    sendItemsResult(res, await this.me.roles(ctx, q));
  }
}

/** GET /policies/me/globals; registered before /policies/:id. */
@Controller('policies')
export class PoliciesMeController {
  constructor(private readonly me: AccessMeService) {}

  @Get('me/globals')
  async globals(@Ctx() ctx: ItemsContext) {
    return { data: await this.me.globals(ctx) };
  }
}

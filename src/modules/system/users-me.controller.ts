import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { ItemsContext } from '../../core/context/items-context';
import { Ctx } from '../../core/http/request-context.decorator';
import { sendItemsResult } from '../../core/http/send-envelope';
import { UsersMeService } from './users-me.service';

/** GET /users/me; registered before /users/:id. */
@Controller('users')
export class UsersMeController {
  constructor(private readonly users: UsersMeService) {}

  @Get('me')
  async me(@Query() q: unknown, @Ctx() ctx: ItemsContext, @Res() res: Response) {
    sendItemsResult(res, await this.users.me(ctx, q));
  }
}

import { Body, Controller, Get, HttpCode, Patch, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { ItemsContext } from '../../core/context/items-context';
import { Ctx } from '../../core/http/request-context.decorator';
import { sendItemsResult } from '../../core/http/send-envelope';
import { UsersMeService } from './users-me.service';

/** GET and PATCH /users/me, PATCH /users/me/track/page; registered before /users/:id. */
@Controller('users')
export class UsersMeController {
  constructor(private readonly users: UsersMeService) {}

  @Get('me')
  async me(@Query() q: unknown, @Ctx() ctx: ItemsContext, @Res() res: Response) {
    sendItemsResult(res, await this.users.me(ctx, q));
  }

  @Patch('me')
  async update(@Query() q: unknown, @Body() body: unknown, @Ctx() ctx: ItemsContext, @Res() res: Response) {
    sendItemsResult(res, await this.users.update(ctx, q, body));
  }

  @Patch('me/track/page')
  @HttpCode(204)
  async trackPage(@Body() body: unknown, @Ctx() ctx: ItemsContext) {
    await this.users.trackPage(ctx, body);
  }
}

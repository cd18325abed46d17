import { Controller, Get, Param } from '@nestjs/common';
import type { ItemsContext } from '../../core/context/items-context';
import { Ctx } from '../../core/http/request-context.decorator';
import { PermissionsMeService } from './permissions-me.service';

/** GET /permissions/me and /permissions/me/:collection/:id (Directus 11+); registered before /permissions/:id. */
@Controller('permissions/me')
export class PermissionsMeController {
  constructor(private readonly me: PermissionsMeService) {}

  @Get()
  async collections(@Ctx() ctx: ItemsContext) {
    return { data: await this.me.collections(ctx) };
  }

  @Get(':collection')
  async collection(@Param('collection') collection: string, @Ctx() ctx: ItemsContext) {
    return { data: await this.me.item(ctx, collection, undefined) };
  }

  @Get(':collection/:id')
  async item(@Param('collection') collection: string, @Param('id') id: string, @Ctx() ctx: ItemsContext) {
    return { data: await this.me.item(ctx, collection, id) };
  }
}

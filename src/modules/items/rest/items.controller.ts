import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res, Search } from '@nestjs/common';
import type { Response } from 'express';
import type { ItemsContext } from '../../../core/context/items-context';
import { Ctx } from '../../../core/http/request-context.decorator';
import { ItemsService } from '../items.service';
import { ItemsRest } from './items-rest';

/**
 * REST adapter for /items: parse, call one ItemsService method, write the envelope. The `directus_*` refusal and
 * every other access rule are the domain's (ItemsService), not this controller's.
 */
@Controller('items')
export class ItemsController {
  private readonly rest: ItemsRest;

  constructor(items: ItemsService) {
    this.rest = new ItemsRest(items);
  }

  @Get(':collection')
  list(@Param('collection') c: string, @Query() q: unknown, @Ctx() ctx: ItemsContext, @Res() res: Response) {
    return this.rest.list(res, ctx, c, q);
  }

  @Search(':collection')
  search(
    @Param('collection') c: string,
    @Query() q: unknown,
    @Body() body: unknown,
    @Ctx() ctx: ItemsContext,
    @Res() res: Response,
  ) {
    return this.rest.search(res, ctx, c, q, body);
  }

  @Get(':collection/:id')
  readOne(
    @Param('collection') c: string,
    @Param('id') id: string,
    @Query() q: unknown,
    @Ctx() ctx: ItemsContext,
    @Res() res: Response,
  ) {
    return this.rest.readOne(res, ctx, c, id, q);
  }

  @Post(':collection')
  create(
    @Param('collection') c: string,
    @Query() q: unknown,
    @Body() body: unknown,
    @Ctx() ctx: ItemsContext,
    @Res() res: Response,
  ) {
    return this.rest.create(res, ctx, c, q, body);
  }

  @Patch(':collection')
  update(
    @Param('collection') c: string,
    @Query() q: unknown,
    @Body() body: unknown,
    @Ctx() ctx: ItemsContext,
    @Res() res: Response,
  ) {
    return this.rest.update(res, ctx, c, q, body);
  }

  @Patch(':collection/:id')
  updateOne(
    @Param('collection') c: string,
    @Param('id') id: string,
    @Query() q: unknown,
    @Body() body: unknown,
    @Ctx() ctx: ItemsContext,
    @Res() res: Response,
  ) {
    return this.rest.updateOne(res, ctx, c, id, q, body);
  }

  @Delete(':collection')
  @HttpCode(204)
  async delete(@Param('collection') c: string, @Query() q: unknown, @Body() body: unknown, @Ctx() ctx: ItemsContext) {
    await this.rest.delete(ctx, c, q, body);
  }

  @Delete(':collection/:id')
  @HttpCode(204)
  async deleteOne(@Param('collection') c: string, @Param('id') id: string, @Ctx() ctx: ItemsContext) {
    await this.rest.deleteOne(ctx, c, id);
  }
}

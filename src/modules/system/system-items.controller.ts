import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  Search,
  type Type,
} from '@nestjs/common';
import type { Response } from 'express';
import type { ItemsContext } from '../../core/context/items-context';
import { Ctx } from '../../core/http/request-context.decorator';
import { ItemsRest } from '../items/rest/items-rest';
import { SystemItemsService } from '../items/system-items.service';

/**
 * REST adapter for a system collection (`/users` → directus_users, ...): the same REST translation as /items over
 * SystemItemsService, so the query DSL, nested writes and error shapes are identical. Reads follow permissions;
 * writes are admin-only — a rule of SystemItemsService, not of this controller.
 */
export function systemItemsController(path: string, collection: string): Type<unknown> {
  @Controller(path)
  class SystemItemsController {
    private readonly rest: ItemsRest;

    constructor(items: SystemItemsService) {
      this.rest = new ItemsRest(items);
    }

    @Get()
    list(@Query() q: unknown, @Ctx() ctx: ItemsContext, @Res() res: Response) {
      return this.rest.list(res, ctx, collection, q);
    }

    @Search()
    search(@Query() q: unknown, @Body() body: unknown, @Ctx() ctx: ItemsContext, @Res() res: Response) {
      return this.rest.search(res, ctx, collection, q, body);
    }

    @Get(':id')
    readOne(@Param('id') id: string, @Query() q: unknown, @Ctx() ctx: ItemsContext, @Res() res: Response) {
      return this.rest.readOne(res, ctx, collection, id, q);
    }

    @Post()
    create(@Query() q: unknown, @Body() body: unknown, @Ctx() ctx: ItemsContext, @Res() res: Response) {
      return this.rest.create(res, ctx, collection, q, body);
    }

    @Patch()
    update(@Query() q: unknown, @Body() body: unknown, @Ctx() ctx: ItemsContext, @Res() res: Response) {
      return this.rest.update(res, ctx, collection, q, body);
    }

    @Patch(':id')
    updateOne(
      @Param('id') id: string,
      @Query() q: unknown,
      @Body() body: unknown,
      @Ctx() ctx: ItemsContext,
      @Res() res: Response,
    ) {
      return this.rest.updateOne(res, ctx, collection, id, q, body);
    }

    @Delete()
    @HttpCode(204)
    async delete(@Query() q: unknown, @Body() body: unknown, @Ctx() ctx: ItemsContext) {
      await this.rest.delete(ctx, collection, q, body);
    }

    @Delete(':id')
    @HttpCode(204)
    async deleteOne(@Param('id') id: string, @Ctx() ctx: ItemsContext) {
      await this.rest.deleteOne(ctx, collection, id);
    }
  }
  Object.defineProperty(SystemItemsController, 'name', { value: `${collection}Controller` });
  return SystemItemsController;
}

/**
 * A read-only system collection (`/activity` → directus_activity, `/revisions` → directus_revisions): GET, SEARCH and
 * GET /:id over the same REST translation and SystemItemsService reads as the other system routes (query DSL,
 * permissions). There are no write routes, as in Directus: a POST, PATCH or DELETE is 404 ROUTE_NOT_FOUND, and the
 * domain refuses writes to these collections from any transport (403).
 */
export function readOnlySystemItemsController(path: string, collection: string): Type<unknown> {
  @Controller(path)
  class ReadOnlySystemItemsController {
    private readonly rest: ItemsRest;

    constructor(items: SystemItemsService) {
      this.rest = new ItemsRest(items);
    }

    @Get()
    list(@Query() q: unknown, @Ctx() ctx: ItemsContext, @Res() res: Response) {
      return this.rest.list(res, ctx, collection, q);
    }

    @Search()
    search(@Query() q: unknown, @Body() body: unknown, @Ctx() ctx: ItemsContext, @Res() res: Response) {
      return this.rest.search(res, ctx, collection, q, body);
    }

    @Get(':id')
    readOne(@Param('id') id: string, @Query() q: unknown, @Ctx() ctx: ItemsContext, @Res() res: Response) {
      return this.rest.readOne(res, ctx, collection, id, q);
    }
  }
  Object.defineProperty(ReadOnlySystemItemsController, 'name', { value: `${collection}Controller` });
  return ReadOnlySystemItemsController;
}

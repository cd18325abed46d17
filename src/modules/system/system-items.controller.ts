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
  UseGuards,
  type Type,
} from '@nestjs/common';
import type { Response } from 'express';
import type { Accountability } from '../../core/context/accountability';
import { Acc } from '../../core/http/request-context.decorator';
import { sendItemsResult } from '../../core/http/send-envelope';
import { ItemsService } from '../items/items.service';
import { AdminOnlyGuard } from '../permissions/admin-only.guard';

/**
 * REST adapter for a system collection (`/users` → directus_users, ...): the same ItemsService as /items, so the
 * query DSL, nested writes and error shapes are identical. Reads follow permissions; writes are admin-only.
 */
export function systemItemsController(path: string, collection: string): Type<unknown> {
  @Controller(path)
  class SystemItemsController {
    constructor(readonly items: ItemsService) {}

    @Get()
    async list(@Query() q: unknown, @Acc() acc: Accountability, @Res() res: Response) {
      sendItemsResult(res, await this.items.list(collection, this.items.sanitize(q, acc), acc));
    }

    @Search()
    async search(@Query() q: unknown, @Body() body: unknown, @Acc() acc: Accountability, @Res() res: Response) {
      sendItemsResult(res, await this.items.search(collection, body, this.items.sanitize(q, acc), acc));
    }

    @Get(':id')
    async readOne(@Param('id') id: string, @Query() q: unknown, @Acc() acc: Accountability, @Res() res: Response) {
      sendItemsResult(res, await this.items.readOne(collection, id, this.items.sanitize(q, acc), acc));
    }

    @Post()
    @UseGuards(AdminOnlyGuard)
    async create(@Query() q: unknown, @Body() body: unknown, @Acc() acc: Accountability, @Res() res: Response) {
      sendItemsResult(res, await this.items.create(collection, body, this.items.sanitize(q, acc), acc));
    }

    @Patch()
    @UseGuards(AdminOnlyGuard)
    async update(@Query() q: unknown, @Body() body: unknown, @Acc() acc: Accountability, @Res() res: Response) {
      sendItemsResult(res, await this.items.update(collection, body, this.items.sanitize(q, acc), acc));
    }

    @Patch(':id')
    @UseGuards(AdminOnlyGuard)
    async updateOne(
      @Param('id') id: string,
      @Query() q: unknown,
      @Body() body: unknown,
      @Acc() acc: Accountability,
      @Res() res: Response,
    ) {
      sendItemsResult(res, await this.items.updateOne(collection, id, body, this.items.sanitize(q, acc), acc));
    }

    @Delete()
    @HttpCode(204)
    @UseGuards(AdminOnlyGuard)
    async delete(@Query() q: unknown, @Body() body: unknown, @Acc() acc: Accountability) {
      await this.items.delete(collection, body, this.items.sanitize(q, acc), acc);
    }

    @Delete(':id')
    @HttpCode(204)
    @UseGuards(AdminOnlyGuard)
    async deleteOne(@Param('id') id: string, @Acc() acc: Accountability) {
      await this.items.deleteOne(collection, id, acc);
    }
  }
  Object.defineProperty(SystemItemsController, 'name', { value: `${collection}Controller` });
  return SystemItemsController;
}

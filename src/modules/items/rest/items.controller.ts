import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res, Search } from '@nestjs/common';
import type { Response } from 'express';
import type { Accountability } from '../../../core/context/accountability';
import { Acc } from '../../../core/http/request-context.decorator';
import { sendItemsResult } from '../../../core/http/send-envelope';
import { ItemsService } from '../items.service';
import { ItemsCollectionPipe } from './items-collection.pipe';

/** REST adapter for /items: parse, call one ItemsService method, write the envelope. */
@Controller('items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @Get(':collection')
  async list(
    @Param('collection', ItemsCollectionPipe) c: string,
    @Query() q: unknown,
    @Acc() acc: Accountability,
    @Res() res: Response,
  ) {
    sendItemsResult(res, await this.items.list(c, this.items.sanitize(q, acc), acc));
  }

  @Search(':collection')
  async search(
    @Param('collection', ItemsCollectionPipe) c: string,
    @Query() q: unknown,
    @Body() body: unknown,
    @Acc() acc: Accountability,
    @Res() res: Response,
  ) {
    sendItemsResult(res, await this.items.search(c, body, this.items.sanitize(q, acc), acc));
  }

  @Get(':collection/:id')
  async readOne(
    @Param('collection', ItemsCollectionPipe) c: string,
    @Param('id') id: string,
    @Query() q: unknown,
    @Acc() acc: Accountability,
    @Res() res: Response,
  ) {
    sendItemsResult(res, await this.items.readOne(c, id, this.items.sanitize(q, acc), acc));
  }

  @Post(':collection')
  async create(
    @Param('collection', ItemsCollectionPipe) c: string,
    @Query() q: unknown,
    @Body() body: unknown,
    @Acc() acc: Accountability,
    @Res() res: Response,
  ) {
    sendItemsResult(res, await this.items.create(c, body, this.items.sanitize(q, acc), acc));
  }

  @Patch(':collection')
  async update(
    @Param('collection', ItemsCollectionPipe) c: string,
    @Query() q: unknown,
    @Body() body: unknown,
    @Acc() acc: Accountability,
    @Res() res: Response,
  ) {
    sendItemsResult(res, await this.items.update(c, body, this.items.sanitize(q, acc), acc));
  }

  @Patch(':collection/:id')
  async updateOne(
    @Param('collection', ItemsCollectionPipe) c: string,
    @Param('id') id: string,
    @Query() q: unknown,
    @Body() body: unknown,
    @Acc() acc: Accountability,
    @Res() res: Response,
  ) {
    sendItemsResult(res, await this.items.updateOne(c, id, body, this.items.sanitize(q, acc), acc));
  }

  @Delete(':collection')
  @HttpCode(204)
  async delete(
    @Param('collection', ItemsCollectionPipe) c: string,
    @Query() q: unknown,
    @Body() body: unknown,
    @Acc() acc: Accountability,
  ) {
    await this.items.delete(c, body, this.items.sanitize(q, acc), acc);
  }

  @Delete(':collection/:id')
  @HttpCode(204)
  async deleteOne(
    @Param('collection', ItemsCollectionPipe) c: string,
    @Param('id') id: string,
    @Acc() acc: Accountability,
  ) {
    await this.items.deleteOne(c, id, acc);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Search, UseGuards } from '@nestjs/common';
import type { Accountability } from '../../core/context/accountability';
import { Acc } from '../../core/http/request-context.decorator';
import { AdminOnlyGuard } from '../permissions/admin-only.guard';
import { CollectionsService } from './collections.service';

/** Reads follow the caller's read permissions (as Directus's); every write is admin-only. */
@Controller('collections')
export class CollectionsController {
  constructor(private readonly collections: CollectionsService) {}

  @Get()
  async list(@Acc() acc: Accountability) {
    return { data: await this.collections.list(acc) };
  }

  @Search()
  async search(@Acc() acc: Accountability) {
    return { data: await this.collections.list(acc) };
  }

  @Get(':collection')
  async get(@Param('collection') collection: string, @Acc() acc: Accountability) {
    return { data: await this.collections.readOne(collection, acc) };
  }

  @Post()
  @UseGuards(AdminOnlyGuard)
  @HttpCode(200)
  async create(@Body() body: unknown) {
    if (Array.isArray(body)) return { data: await this.collections.createMany(body) };
    return { data: await this.collections.create(body) };
  }

  @Patch()
  @UseGuards(AdminOnlyGuard)
  async updateMany(@Body() body: unknown) {
    return { data: await this.collections.updateMany(body) };
  }

  @Patch(':collection')
  @UseGuards(AdminOnlyGuard)
  async update(@Param('collection') collection: string, @Body() body: unknown) {
    return { data: await this.collections.update(collection, body) };
  }

  @Delete(':collection')
  @UseGuards(AdminOnlyGuard)
  @HttpCode(204)
  async delete(@Param('collection') collection: string) {
    await this.collections.delete(collection);
  }
}

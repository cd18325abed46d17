import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Search, UseGuards } from '@nestjs/common';
import { AdminOnlyGuard } from '../permissions/admin-only.guard';
import { CollectionsService } from './collections.service';

@Controller('collections')
@UseGuards(AdminOnlyGuard)
export class CollectionsController {
  constructor(private readonly collections: CollectionsService) {}

  @Get()
  list() {
    return { data: this.collections.list() };
  }

  @Search()
  search() {
    return { data: this.collections.list() };
  }

  @Get(':collection')
  get(@Param('collection') collection: string) {
    return { data: this.collections.get(collection) };
  }

  @Post()
  @HttpCode(200)
  async create(@Body() body: unknown) {
    if (Array.isArray(body)) return { data: await this.collections.createMany(body) };
    return { data: await this.collections.create(body) };
  }

  @Patch()
  async updateMany(@Body() body: unknown) {
    return { data: await this.collections.updateMany(body) };
  }

  @Patch(':collection')
  async update(@Param('collection') collection: string, @Body() body: unknown) {
    return { data: await this.collections.update(collection, body) };
  }

  @Delete(':collection')
  @HttpCode(204)
  async delete(@Param('collection') collection: string) {
    await this.collections.delete(collection);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { AdminOnlyGuard } from '../permissions/admin-only.guard';
import { RelationsService } from './relations.service';

@Controller('relations')
@UseGuards(AdminOnlyGuard)
export class RelationsController {
  constructor(private readonly relations: RelationsService) {}

  @Get()
  list() {
    return { data: this.relations.list() };
  }

  @Get(':collection')
  listFor(@Param('collection') collection: string) {
    return { data: this.relations.list(collection) };
  }

  @Get(':collection/:field')
  get(@Param('collection') collection: string, @Param('field') field: string) {
    return { data: this.relations.get(collection, field) };
  }

  @Post()
  @HttpCode(200)
  async create(@Body() body: unknown) {
    return { data: await this.relations.create(body) };
  }

  @Patch(':collection/:field')
  async update(@Param('collection') collection: string, @Param('field') field: string, @Body() body: unknown) {
    return { data: await this.relations.update(collection, field, body) };
  }

  @Delete(':collection/:field')
  @HttpCode(204)
  async delete(@Param('collection') collection: string, @Param('field') field: string) {
    await this.relations.delete(collection, field);
  }
}

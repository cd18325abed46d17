import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { AdminOnlyGuard } from '../permissions/admin-only.guard';
import { FieldsService } from './fields.service';

@Controller('fields')
@UseGuards(AdminOnlyGuard)
export class FieldsController {
  constructor(private readonly fields: FieldsService) {}

  @Get()
  list() {
    return { data: this.fields.list() };
  }

  @Get(':collection')
  listFor(@Param('collection') collection: string) {
    return { data: this.fields.list(collection) };
  }

  @Get(':collection/:field')
  get(@Param('collection') collection: string, @Param('field') field: string) {
    return { data: this.fields.get(collection, field) };
  }

  @Post(':collection')
  @HttpCode(200)
  async create(@Param('collection') collection: string, @Body() body: unknown) {
    return { data: await this.fields.create(collection, body) };
  }

  @Patch(':collection')
  async updateMany(@Param('collection') collection: string, @Body() body: unknown) {
    return { data: await this.fields.updateMany(collection, body) };
  }

  @Patch(':collection/:field')
  async update(@Param('collection') collection: string, @Param('field') field: string, @Body() body: unknown) {
    return { data: await this.fields.update(collection, field, body) };
  }

  @Delete(':collection/:field')
  @HttpCode(204)
  async delete(@Param('collection') collection: string, @Param('field') field: string) {
    await this.fields.delete(collection, field);
  }
}

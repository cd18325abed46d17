import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import type { Accountability } from '../../core/context/accountability';
import { Acc } from '../../core/http/request-context.decorator';
import { AdminOnlyGuard } from '../permissions/admin-only.guard';
import { FieldsService } from './fields.service';

/** Reads follow the caller's read permissions (as Directus's); every write is admin-only. */
@Controller('fields')
export class FieldsController {
  constructor(private readonly fields: FieldsService) {}

  @Get()
  async list(@Acc() acc: Accountability) {
    return { data: await this.fields.list(acc) };
  }

  @Get(':collection')
  async listFor(@Param('collection') collection: string, @Acc() acc: Accountability) {
    return { data: await this.fields.list(acc, collection) };
  }

  @Get(':collection/:field')
  async get(@Param('collection') collection: string, @Param('field') field: string, @Acc() acc: Accountability) {
    return { data: await this.fields.readOne(collection, field, acc) };
  }

  @Post(':collection')
  @UseGuards(AdminOnlyGuard)
  @HttpCode(200)
  async create(@Param('collection') collection: string, @Body() body: unknown) {
    return { data: await this.fields.create(collection, body) };
  }

  @Patch(':collection')
  @UseGuards(AdminOnlyGuard)
  async updateMany(@Param('collection') collection: string, @Body() body: unknown) {
    return { data: await this.fields.updateMany(collection, body) };
  }

  @Patch(':collection/:field')
  @UseGuards(AdminOnlyGuard)
  async update(@Param('collection') collection: string, @Param('field') field: string, @Body() body: unknown) {
    return { data: await this.fields.update(collection, field, body) };
  }

  @Delete(':collection/:field')
  @UseGuards(AdminOnlyGuard)
  @HttpCode(204)
  async delete(@Param('collection') collection: string, @Param('field') field: string) {
    await this.fields.delete(collection, field);
  }
}

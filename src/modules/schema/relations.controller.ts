import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import type { Accountability } from '../../core/context/accountability';
import { Acc } from '../../core/http/request-context.decorator';
import { AdminOnlyGuard } from '../permissions/admin-only.guard';
import { RelationsService } from './relations.service';

/** Reads follow the caller's read permissions (as Directus's); every write is admin-only. */
@Controller('relations')
export class RelationsController {
  constructor(private readonly relations: RelationsService) {}

  @Get()
  async list(@Acc() acc: Accountability) {
    return { data: await this.relations.list(acc) };
  }

  @Get(':collection')
  async listFor(@Param('collection') collection: string, @Acc() acc: Accountability) {
    return { data: await this.relations.list(acc, collection) };
  }

  @Get(':collection/:field')
  async get(@Param('collection') collection: string, @Param('field') field: string, @Acc() acc: Accountability) {
    return { data: await this.relations.readOne(collection, field, acc) };
  }

  @Post()
  @UseGuards(AdminOnlyGuard)
  @HttpCode(200)
  async create(@Body() body: unknown) {
    return { data: await this.relations.create(body) };
  }

  @Patch(':collection/:field')
  @UseGuards(AdminOnlyGuard)
  async update(@Param('collection') collection: string, @Param('field') field: string, @Body() body: unknown) {
    return { data: await this.relations.update(collection, field, body) };
  }

  @Delete(':collection/:field')
  @UseGuards(AdminOnlyGuard)
  @HttpCode(204)
  async delete(@Param('collection') collection: string, @Param('field') field: string) {
    await this.relations.delete(collection, field);
  }
}

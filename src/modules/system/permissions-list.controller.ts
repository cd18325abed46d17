import { Body, Controller, Get, Query, Res, Search } from '@nestjs/common';
import type { Response } from 'express';
import type { ItemsContext } from '../../core/context/items-context';
import { Ctx } from '../../core/http/request-context.decorator';
import { sendItemsResult } from '../../core/http/send-envelope';
import { searchPayload } from '../items/items-input';
import { SystemItemsService } from '../items/system-items.service';

const COLLECTION = 'directus_permissions';

/**
 * GET and SEARCH /permissions, registered before the generic /permissions routes: as Directus's permissions
 * controller, the list honours every query parameter but `limit`, which it always reads as -1 (every row), so a
 * client gets a policy's whole rule set in one answer. `limit` is still validated (400 when malformed).
 */
@Controller('permissions')
export class PermissionsListController {
  constructor(private readonly items: SystemItemsService) {}

  @Get()
  async list(@Query() q: unknown, @Ctx() ctx: ItemsContext, @Res() res: Response) {
    const query = { ...this.items.sanitize(ctx, q), limit: -1 };
    sendItemsResult(res, await this.items.read(ctx, COLLECTION, query));
  }

  @Search()
  async search(@Query() q: unknown, @Body() body: unknown, @Ctx() ctx: ItemsContext, @Res() res: Response) {
    const urlQuery = this.items.sanitize(ctx, q);
    this.items.collection(ctx, COLLECTION);
    const { query: raw, keys } = searchPayload(body);
    const query = { ...(raw !== undefined ? this.items.sanitize(ctx, raw) : urlQuery), limit: -1 };
    sendItemsResult(
      res,
      keys ? await this.items.readMany(ctx, COLLECTION, keys, query) : await this.items.read(ctx, COLLECTION, query),
    );
  }
}

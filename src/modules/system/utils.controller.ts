import { Controller, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Accountability } from '../../core/context/accountability';
import { Acc } from '../../core/http/request-context.decorator';
import { CacheService } from './cache.service';

/** /utils routes Tessera serves. */
@Controller('utils')
export class UtilsController {
  constructor(private readonly cache: CacheService) {}

  /** 200 with an empty body, as Directus; `?system` (with any value: Directus tests presence) clears the schema too. */
  @Post('cache/clear')
  @HttpCode(200)
  async clearCache(@Query() q: Record<string, unknown>, @Acc() acc: Accountability, @Res() res: Response) {
    await this.cache.clear(acc, { system: 'system' in q });
    res.status(200).end();
  }
}

import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import type { ItemsContext } from '../../core/context/items-context';
import { Ctx } from '../../core/http/request-context.decorator';
import { RevisionsService } from './revisions.service';

/** POST /utils/revert/:revision — 204 (spec 7); a thin adapter over RevisionsService. */
@Controller('utils')
export class RevertController {
  constructor(private readonly revisions: RevisionsService) {}

  @Post('revert/:revision')
  @HttpCode(204)
  async revert(@Param('revision') revision: string, @Ctx() ctx: ItemsContext): Promise<void> {
    await this.revisions.revert(ctx, revision);
  }
}

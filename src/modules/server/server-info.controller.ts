import { Controller, Get, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { Accountability } from '../../core/context/accountability';
import { Acc } from '../../core/http/request-context.decorator';
import { ServerInfoService } from './server-info.service';
import { SpecsService } from './specs.service';

/** GET /server/info ({data}) and GET /server/specs/oas (the OpenAPI document itself, as Directus answers it). */
@Controller('server')
export class ServerInfoController {
  constructor(
    private readonly info: ServerInfoService,
    private readonly specs: SpecsService,
  ) {}

  @Get('info')
  async serverInfo(@Acc() acc: Accountability) {
    return { data: await this.info.info(acc) };
  }

  @Get('specs/oas')
  async oas(@Acc() acc: Accountability, @Req() req: Request) {
    const host = req.get('host');
    return this.specs.oas(acc, host ? `${req.protocol}://${host}` : '/');
  }
}

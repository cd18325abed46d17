import { Controller, Get, Header, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Accountability } from '../../core/context/accountability';
import { Acc } from '../../core/http/request-context.decorator';
import { ServerService } from './server.service';

@Controller('server')
export class ServerController {
  constructor(private readonly server: ServerService) {}

  @Get('ping')
  @Header('Content-Type', 'text/html; charset=utf-8')
  ping(): string {
    return 'pong';
  }

  /**
   * 200 when every check is ok or warn, 503 otherwise, with the health document either way (as Directus): the whole
   * of it for admins, only `status` for anyone else.
   */
  @Get('health')
  async health(@Acc() acc: Accountability, @Res() res: Response) {
    const health = await this.server.health(acc.admin);
    res
      .status(health.status === 'error' ? 503 : 200)
      .type('application/health+json')
      .send(JSON.stringify(health));
  }
}

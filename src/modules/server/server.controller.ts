import { Controller, Get, Header, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ServerService } from './server.service';

@Controller('server')
export class ServerController {
  constructor(private readonly server: ServerService) {}

  @Get('ping')
  @Header('Content-Type', 'text/html; charset=utf-8')
  ping(): string {
    return 'pong';
  }

  /** 200 when every check is ok or warn, 503 otherwise, with the health document either way (as Directus). */
  @Get('health')
  async health(@Res() res: Response) {
    const health = await this.server.health();
    res
      .status(health.status === 'error' ? 503 : 200)
      .type('application/health+json')
      .send(JSON.stringify(health));
  }
}

import { Controller, Get, Header } from '@nestjs/common';
import { ServerService } from './server.service';

@Controller('server')
export class ServerController {
  constructor(private readonly server: ServerService) {}

  @Get('ping')
  @Header('Content-Type', 'text/html; charset=utf-8')
  ping(): string {
    return 'pong';
  }

  @Get('health')
  async health() {
    return this.server.health();
  }
}

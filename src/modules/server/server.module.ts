import { Module } from '@nestjs/common';
import { SchemaModule } from '../schema/schema.module';
import { ServerController } from './server.controller';
import { ServerService } from './server.service';

@Module({ imports: [SchemaModule], controllers: [ServerController], providers: [ServerService] })
export class ServerModule {}

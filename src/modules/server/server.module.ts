import { Module } from '@nestjs/common';
import { PermissionsModule } from '../permissions/permissions.module';
import { SchemaModule } from '../schema/schema.module';
import { ServerInfoController } from './server-info.controller';
import { ServerInfoService } from './server-info.service';
import { ServerController } from './server.controller';
import { ServerService } from './server.service';
import { SpecsService } from './specs.service';

@Module({
  imports: [SchemaModule, PermissionsModule],
  controllers: [ServerController, ServerInfoController],
  providers: [ServerService, ServerInfoService, SpecsService],
})
export class ServerModule {}

import { Module } from '@nestjs/common';
import { ItemsEventBus } from '../../core/events/items-event-bus';
import { PermissionsModule } from '../permissions/permissions.module';
import { SchemaModule } from '../schema/schema.module';
import { ItemsAccess } from './items-access.service';
import { ItemsReadService } from './items-read.service';
import { ItemsWriteService } from './items-write.service';
import { ItemsService } from './items.service';
import { ItemsController } from './rest/items.controller';

@Module({
  imports: [SchemaModule, PermissionsModule],
  controllers: [ItemsController],
  providers: [ItemsEventBus, ItemsAccess, ItemsReadService, ItemsWriteService, ItemsService],
  exports: [ItemsService, ItemsEventBus],
})
export class ItemsModule {}

import { Module } from '@nestjs/common';
import { PermissionsModule } from '../permissions/permissions.module';
import { SchemaModule } from '../schema/schema.module';
import { ItemsContextFactory } from './items-context.factory';
import { ItemsReadService } from './items-read.service';
import { ItemsWriteService } from './items-write.service';
import { ItemsService } from './items.service';
import { ItemsContextMiddleware } from './rest/items-context.middleware';
import { ItemsController } from './rest/items.controller';
import { SystemItemsService } from './system-items.service';

/**
 * The items domain: ItemsService (user collections) and SystemItemsService (system collections), the one façade
 * every transport calls with an ItemsContext from ItemsContextFactory; the REST adapter for /items. The event bus
 * is global (EventsModule); permissions come from PermissionsModule.
 */
@Module({
  imports: [SchemaModule, PermissionsModule],
  controllers: [ItemsController],
  providers: [
    ItemsReadService,
    ItemsWriteService,
    ItemsService,
    SystemItemsService,
    ItemsContextFactory,
    ItemsContextMiddleware,
  ],
  exports: [ItemsService, SystemItemsService, ItemsContextFactory, ItemsContextMiddleware],
})
export class ItemsModule {}

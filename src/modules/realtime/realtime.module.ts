import { Module } from '@nestjs/common';
import { ItemsModule } from '../items/items.module';

/**
 * /websocket gateway and subscriptions, fanned out across instances through a change log and LISTEN/NOTIFY
 * (realtime issue). Depends on items only through the items service and its after-commit events.
 */
@Module({ imports: [ItemsModule] })
export class RealtimeModule {}

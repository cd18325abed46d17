import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ItemsModule } from '../items/items.module';
import { RealtimeFeed } from './realtime-feed.service';
import { RealtimeGroupReads } from './realtime-group-reads';
import { RealtimeItems } from './realtime-items';
import { RealtimeSubscriptions } from './realtime-subscriptions.service';
import { RealtimeGateway } from './realtime.gateway';

/**
 * /websocket: the Directus REST-style WebSocket protocol (docs/realtime.md). A thin adapter over ItemsService for
 * `items` messages; subscriptions delivered from the durable change log (`tessera_changes`, written in the writing
 * transaction by the change capture, announced by NOTIFY), which every instance LISTENs to: several instances, no
 * broker. Off unless WEBSOCKETS_ENABLED (which also turns the change log on).
 */
@Module({
  imports: [ItemsModule, AuthModule],
  providers: [RealtimeGateway, RealtimeItems, RealtimeSubscriptions, RealtimeGroupReads, RealtimeFeed],
  exports: [RealtimeGateway, RealtimeSubscriptions, RealtimeFeed],
})
export class RealtimeModule {}

import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { GraphqlCoreModule } from '../graphql/graphql.module';
import { ItemsModule } from '../items/items.module';
import { GraphqlWsServer } from './graphql-ws.server';
import { RealtimeModule } from '../realtime/realtime.module';
import { ChangeLogMutationFeed, MUTATION_FEED } from './mutation-feed';
import { GraphqlMutationHub } from './mutation-hub';

/**
 * GraphQL subscriptions (`<c>_mutated(event)`) and operations over graphql-ws on WEBSOCKETS_GRAPHQL_PATH (`/graphql`,
 * spec 9), on the HTTP server's WebSocket upgrade router, while WEBSOCKETS_ENABLED and WEBSOCKETS_GRAPHQL_ENABLED are
 * on. Events come from the {@link MUTATION_FEED}: the realtime change log, so writes through every instance arrive.
 */
@Module({
  imports: [GraphqlCoreModule, ItemsModule, AuthModule, RealtimeModule],
  providers: [{ provide: MUTATION_FEED, useClass: ChangeLogMutationFeed }, GraphqlMutationHub, GraphqlWsServer],
  exports: [GraphqlMutationHub],
})
export class GraphqlSubscriptionsModule {}

import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { GraphqlCoreModule } from '../graphql/graphql.module';
import { ItemsModule } from '../items/items.module';
import { GraphqlWsServer } from './graphql-ws.server';
import { AfterCommitMutationFeed, MUTATION_FEED } from './mutation-feed';
import { GraphqlMutationHub } from './mutation-hub';

/**
 * GraphQL subscriptions (`<c>_mutated(event)`) and operations over graphql-ws on `/graphql` (spec 9), on the HTTP
 * server's WebSocket upgrade router, while WEBSOCKETS_ENABLED is on. Events come from the {@link MUTATION_FEED}: this
 * process's after-commit items events until the realtime fan-out provides the same interface.
 */
@Module({
  imports: [GraphqlCoreModule, ItemsModule, AuthModule],
  providers: [{ provide: MUTATION_FEED, useClass: AfterCommitMutationFeed }, GraphqlMutationHub, GraphqlWsServer],
  exports: [GraphqlMutationHub],
})
export class GraphqlSubscriptionsModule {}

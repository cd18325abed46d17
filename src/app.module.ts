import { MiddlewareConsumer, Module, NestModule, type DynamicModule } from '@nestjs/common';
import type { Config } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './core/database/database.module';
import { EventsModule } from './core/events/events.module';
import { ExtensionsModule } from './core/extensions/extensions.module';
import { AuthMiddleware } from './modules/auth/auth.middleware';
import { AuthModule } from './modules/auth/auth.module';
import { GraphqlModule } from './modules/graphql/graphql.module';
import { GraphqlSubscriptionsModule } from './modules/graphql-subscriptions/graphql-subscriptions.module';
import { GraphqlUiModule } from './modules/graphql-ui/graphql-ui.module';
import { ItemsModule } from './modules/items/items.module';
import { ItemsContextMiddleware } from './modules/items/rest/items-context.middleware';
import { PermissionsModule } from './modules/permissions/permissions.module';
import { RealtimeModule } from './modules/realtime/realtime.module';
import { RevisionsModule } from './modules/revisions/revisions.module';
import { SchemaModule } from './modules/schema/schema.module';
import { ServerModule } from './modules/server/server.module';
import { SystemModule } from './modules/system/system.module';

/**
 * Composition root: core, then the feature modules, then any extension modules a deployment adds (`createApp(config,
 * extensions)`, or the `EXTENSIONS` module paths of the packaged server).
 */
@Module({})
export class AppModule implements NestModule {
  static forRoot(config: Config, extensions: DynamicModule['imports'] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        EventsModule,
        // Express tries routes in registration order, one pattern match each, and Nest registers them in this
        // order: the items routes, by far the busiest, come first.
        ItemsModule,
        SchemaModule,
        PermissionsModule,
        AuthModule,
        RevisionsModule,
        RealtimeModule,
        SystemModule,
        ServerModule,
        // Mounts /graphql and /graphql/system on Express at init, after the routes above and their middleware.
        GraphqlModule,
        // GraphiQL for browsers at GET /graphql, and its files.
        GraphqlUiModule,
        // graphql-ws on /graphql (subscriptions), on the WebSocket upgrade router.
        GraphqlSubscriptionsModule,
        // Finds the @ItemsFilter / @ItemsAction methods of every module (extensions included) at init.
        ExtensionsModule,
        ...extensions,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Who asks, then the request's ItemsContext (pinned schema snapshot, request id) for every controller.
    consumer.apply(AuthMiddleware, ItemsContextMiddleware).forRoutes('*');
  }
}

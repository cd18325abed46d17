import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { AuthModule } from '../auth/auth.module';
import { ItemsModule } from '../items/items.module';
import { PermissionsModule } from '../permissions/permissions.module';
import { SchemaModule } from '../schema/schema.module';
import { ServerInfoService } from '../server/server-info.service';
import { ServerService } from '../server/server.service';
import { GraphqlHttp } from './graphql-http';
import { GraphqlResolvers } from './graphql-resolvers';
import { GraphqlSchemas } from './graphql-schemas.service';
import { GraphqlSpecsController } from './graphql-specs.controller';
import { GraphqlSpecs } from './graphql-specs.service';
import { TesseraGraphqlDriver, type TesseraGraphqlOptions } from './graphql.driver';

/**
 * The GraphQL transport's providers: per-role schema cache, root resolvers (adapters over ItemsService /
 * SystemItemsService / AuthService) and the HTTP handler. GraphqlSchemas is exported for other transports (graphql-ws
 * on /graphql): `schemaFor(itemsContext, 'items')` gives the executable schema of that caller. Also
 * `GET /server/specs/graphql[/:scope]`, the caller's SDL.
 */
@Module({
  imports: [ItemsModule, AuthModule, PermissionsModule, SchemaModule],
  controllers: [GraphqlSpecsController],
  providers: [GraphqlResolvers, GraphqlSchemas, GraphqlHttp, GraphqlSpecs, ServerInfoService, ServerService],
  exports: [GraphqlSchemas, GraphqlHttp],
})
export class GraphqlCoreModule {}

/** `/graphql` and `/graphql/system` through @nestjs/graphql with Tessera's driver (see TesseraGraphqlDriver). */
@Module({
  imports: [
    GraphqlCoreModule,
    GraphQLModule.forRootAsync<TesseraGraphqlOptions>({
      driver: TesseraGraphqlDriver,
      imports: [GraphqlCoreModule],
      inject: [GraphqlHttp],
      useFactory: (http: GraphqlHttp) => ({ http }),
    }),
  ],
  exports: [GraphqlCoreModule],
})
export class GraphqlModule {}

import { Injectable } from '@nestjs/common';
import { AbstractGraphQLDriver, type GqlModuleOptions } from '@nestjs/graphql';
import type { Express } from 'express';
import type { GraphqlHttp } from './graphql-http';

export interface TesseraGraphqlOptions extends GqlModuleOptions {
  /** The HTTP side (pre-checks, cached per-role schemas, graphql-yoga), from GraphqlCoreModule. */
  readonly http: GraphqlHttp;
}

/**
 * The small custom @nestjs/graphql driver of ../shared/STACK.md: there is no single schema to generate (each caller
 * gets the schema of its role and of the current schema snapshot, see GraphqlSchemas), so generateSchema() returns
 * null, and start() mounts the handlers of `/graphql` and `/graphql/system` on the Express instance. GraphQLModule
 * calls start() in onModuleInit, after Nest's middleware (auth first) and routes are registered and before the 404
 * handler, so a GraphQL request passes the same auth middleware as REST.
 */
@Injectable()
export class TesseraGraphqlDriver extends AbstractGraphQLDriver<TesseraGraphqlOptions> {
  override generateSchema(): null {
    return null;
  }

  async start(options: TesseraGraphqlOptions): Promise<void> {
    const app = this.httpAdapterHost.httpAdapter.getInstance<Express>();
    app.all('/graphql', options.http.handler('items'));
    app.all('/graphql/system', options.http.handler('system'));
  }

  async stop(): Promise<void> {}
}

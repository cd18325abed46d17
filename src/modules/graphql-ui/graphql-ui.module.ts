import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { GraphqlCoreModule } from '../graphql/graphql.module';
import { GraphqlHttp } from '../graphql/graphql-http';
import { graphiqlAssets } from './graphiql-assets';
import { GRAPHIQL_ASSETS_PATH, renderGraphiqlPage } from './graphiql-page';
import { GraphqlUiController } from './graphql-ui.controller';

/**
 * GraphiQL at `GET /graphql` (and `/graphql/system`) for a browser: a GET that prefers `text/html` over JSON and has
 * no `query` parameter. GraphqlHttp asks its `htmlHandler` in exactly that case, after auth and before yoga; every
 * other request is GraphQL as before. The page and its files are served by this server (no CDN).
 *
 * Directus has no GraphiQL on its API (its app ships one). Here the page is on while GRAPHQL_INTROSPECTION is on
 * (the default): GraphiQL's docs, completion and validation are introspection, so a deployment that turns
 * introspection off gets no page either (`GET /graphql` is then the 400 INVALID_PAYLOAD it is for any client, and the
 * asset URLs are 404).
 */
@Module({
  imports: [GraphqlCoreModule],
  controllers: [GraphqlUiController],
})
export class GraphqlUiModule implements OnModuleInit {
  constructor(
    private readonly http: GraphqlHttp,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  onModuleInit(): void {
    if (!this.config.graphqlIntrospection) return;
    this.http.htmlHandler = (req: Request, res: Response, next: NextFunction) => {
      graphiqlAssets().then((assets) => {
        const system = req.path === '/graphql/system';
        const ws = this.config.graphqlWs;
        const html = renderGraphiqlPage({
          endpoint: system ? '/graphql/system' : '/graphql',
          assets: `${GRAPHIQL_ASSETS_PATH}/${assets.version}`,
          // Subscriptions are on the items scope only (spec 9).
          subscriptions: !system && this.config.websocketsEnabled && ws.enabled ? ws.path : null,
        });
        res.status(200).type('html').vary('Accept').send(html);
      }, next);
    };
  }
}

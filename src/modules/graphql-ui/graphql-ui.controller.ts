import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RouteNotFoundError } from '@lib/errors';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { graphiqlAssets, gzipped } from './graphiql-assets';

/**
 * The files of the GraphiQL page: `GET /graphql/ui/<version>/<file>` and `…/workers/<file>`. The version is the
 * assets' content hash, so a matching URL is cached for a year (`immutable`); an old version's URL still gets the
 * current file, uncached. gzip when the browser accepts it. 404 ROUTE_NOT_FOUND with GRAPHQL_INTROSPECTION=false
 * (no GraphiQL then, see GraphqlUiModule).
 */
@Controller('graphql/ui')
export class GraphqlUiController {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  @Get(':version/workers/:file')
  worker(@Param('version') version: string, @Param('file') file: string, @Req() req: Request, @Res() res: Response) {
    return this.send(version, `workers/${file}`, req, res);
  }

  @Get(':version/:file')
  file(@Param('version') version: string, @Param('file') file: string, @Req() req: Request, @Res() res: Response) {
    return this.send(version, file, req, res);
  }

  private async send(version: string, name: string, req: Request, res: Response): Promise<void> {
    if (!this.config.graphqlIntrospection) throw new RouteNotFoundError(req.path);
    const assets = await graphiqlAssets();
    const asset = assets.files.get(name);
    if (!asset) throw new RouteNotFoundError(req.path);
    res.setHeader('Content-Type', asset.type);
    res.setHeader('Cache-Control', version === assets.version ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.vary('Accept-Encoding');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      res.setHeader('Content-Encoding', 'gzip');
      res.end(gzipped(asset));
    } else {
      res.end(asset.body);
    }
  }
}

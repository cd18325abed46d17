import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RouteNotFoundError } from '@lib/errors';
import type { ItemsContext } from '../../core/context/items-context';
import { Ctx } from '../../core/http/request-context.decorator';
import { GraphqlSpecs } from './graphql-specs.service';

/**
 * `GET /server/specs/graphql` and `GET /server/specs/graphql/:scope` (`items`, the default, or `system`; anything
 * else 404), as Directus's server controller answers them: the caller's SDL ({@link GraphqlSpecs}) sent as an
 * attachment with the headers Directus's express 4 `res.attachment()` writes: `Content-Disposition: attachment;
 * filename="…"` (always quoted) and the type of the unknown extension, `application/octet-stream; charset=utf-8`.
 */
@Controller('server/specs')
export class GraphqlSpecsController {
  constructor(private readonly specs: GraphqlSpecs) {}

  @Get(['graphql', 'graphql/:scope'])
  async graphql(
    @Ctx() ctx: ItemsContext,
    @Param('scope') scope: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const which = scope ?? 'items';
    if (which !== 'items' && which !== 'system') throw new RouteNotFoundError(req.path);
    const { filename, sdl } = await this.specs.sdl(ctx, which);
    res.setHeader('Content-Disposition', attachment(filename));
    // express's type for the .graphql extension (unknown to its mime table); send() adds the charset.
    res.type('application/octet-stream');
    res.send(sdl);
  }
}

/**
 * The Content-Disposition express 4's `res.attachment(name)` sends (content-disposition 0.5: the name always quoted; a
 * name with characters outside ISO-8859-1 also as `filename*`, with `?` in the quoted fallback).
 */
export function attachment(name: string): string {
  const quoted = (value: string) => `"${value.replace(/[\\"]/g, '\\$&')}"`;
  if (/^[\x20-\x7e\xa0-\xff]*$/.test(name)) return `attachment; filename=${quoted(name)}`;
  const fallback = name.replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename=${quoted(fallback)}; filename*=UTF-8''${encoded}`;
}

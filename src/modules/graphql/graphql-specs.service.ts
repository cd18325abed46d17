import { Injectable } from '@nestjs/common';
import { printSchema, type GraphQLSchema } from 'graphql';
import type { GraphqlScope } from '@lib/graphql-schema';
import type { ItemsContext } from '../../core/context/items-context';
import { ServerInfoService } from '../server/server-info.service';
import { GraphqlSchemas } from './graphql-schemas.service';

/** The SDL download of `GET /server/specs/graphql[/:scope]`: the text and the file name Directus gives it. */
export interface GraphqlSpecFile {
  readonly filename: string;
  readonly sdl: string;
}

/**
 * The SDL of the GraphQL schema a caller has at `/graphql` (`items`) or `/graphql/system` (`system`): its role's
 * collections, fields and operations, printed from the same cached schema GraphqlSchemas serves (and printed once per
 * schema), named `<project_name>_<yyyy-MM-dd>.graphql` (server-local date, as date-fns formats it) as Directus names it.
 */
@Injectable()
export class GraphqlSpecs {
  private readonly printed = new WeakMap<GraphQLSchema, string>();

  constructor(
    private readonly schemas: GraphqlSchemas,
    private readonly serverInfo: ServerInfoService,
  ) {}

  async sdl(ctx: ItemsContext, scope: GraphqlScope): Promise<GraphqlSpecFile> {
    const schema = await this.schemas.schemaFor(ctx, scope);
    let sdl = this.printed.get(schema);
    if (sdl === undefined) this.printed.set(schema, (sdl = printSchema(schema)));
    return { filename: `${await this.serverInfo.projectName()}_${localDate(new Date())}.graphql`, sdl };
  }
}

/** `yyyy-MM-dd` in the server's time zone. */
export function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

import type { Request, Response } from 'express';
import type { GraphqlScope } from '@lib/graphql-schema';
import type { ItemsContext } from '../../core/context/items-context';

/**
 * The graphql-js context value every root resolver receives. `items` is the operation's ItemsContext (pinned
 * snapshot, permission view, request id), made by ItemsContextFactory with transport `graphql`. Over HTTP `req` and
 * `res` are there too (auth cookies); a graphql-ws transport passes only `items`.
 */
export interface GraphqlContext {
  readonly items: ItemsContext;
  readonly scope: GraphqlScope;
  readonly req?: Request;
  readonly res?: Response;
}

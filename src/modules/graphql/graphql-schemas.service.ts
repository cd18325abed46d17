import { Injectable, Logger } from '@nestjs/common';
import type { GraphQLSchema } from 'graphql';
import { buildGraphqlSchema, type GraphqlScope, type RootSubscriber } from '@lib/graphql-schema';
import type { SchemaSnapshot } from '@lib/schema';
import type { ItemsContext } from '../../core/context/items-context';
import { PermissionsService, type PermissionSet } from '../permissions/permissions.service';
import type { GraphqlContext } from './graphql-context';
import { GraphqlResolvers } from './graphql-resolvers';

type PerScope = Partial<Record<GraphqlScope, GraphQLSchema>>;

/**
 * The executable GraphQL schema for a caller: built by libs/graphql-schema from the request's pinned schema snapshot
 * and the caller's permission set, with the root resolvers of {@link GraphqlResolvers}, and cached.
 *
 * The cache key is (schema snapshot, permission set, scope), all by identity:
 * - a schema change on any instance NOTIFYs `tessera_schema`; every SchemaRegistry reloads and serves a new snapshot;
 * - an access change (users, roles, policies, access, permissions) NOTIFYs `tessera_access`; every
 *   PermissionsService drops its sets, and the next request gets a new PermissionSet.
 * Either way the next request misses, and entries for dead snapshots and sets go with them (WeakMaps). Admins share
 * one schema per snapshot and scope; users with the same policies share one PermissionSet, hence one schema.
 *
 * Single flight: the permission set is itself single-flight (PermissionsService caches the promise), and the build
 * is synchronous, so between the lookup and the store nothing else runs: however many requests arrive after a change,
 * a key is built once per process.
 *
 * {@link schemaFor} is the seam for other transports (graphql-ws): give it the operation's ItemsContext (and a
 * GraphqlContext `{items, scope}` as the context value). `<c>_mutated` fields subscribe through the function given to
 * {@link setSubscriber}; until one is set they have no event source.
 */
@Injectable()
export class GraphqlSchemas {
  private readonly logger = new Logger('GraphQL');
  private admin = new WeakMap<SchemaSnapshot, PerScope>();
  private roles = new WeakMap<SchemaSnapshot, WeakMap<PermissionSet, PerScope>>();
  private subscriber: RootSubscriber<GraphqlContext> | undefined;
  /** Schemas built since start (tests and the bench read it to show single flight). */
  builds = 0;

  constructor(
    private readonly permissions: PermissionsService,
    private readonly resolvers: GraphqlResolvers,
  ) {}

  /**
   * The event source of every `<c>_mutated` subscription field (the realtime transport sets it at startup); schemas
   * built before are dropped.
   */
  setSubscriber(subscriber: RootSubscriber<GraphqlContext>): void {
    this.subscriber = subscriber;
    this.admin = new WeakMap();
    this.roles = new WeakMap();
  }

  /** The executable schema `ctx`'s caller sees at `/graphql` (`items`) or `/graphql/system` (`system`). */
  async schemaFor(ctx: ItemsContext, scope: GraphqlScope): Promise<GraphQLSchema> {
    if (ctx.accountability.admin) return this.cached(this.entry(this.admin, ctx.schema), ctx.schema, null, scope);
    const set = await this.permissions.forAccountability(ctx.accountability);
    let bySet = this.roles.get(ctx.schema);
    if (!bySet) this.roles.set(ctx.schema, (bySet = new WeakMap()));
    return this.cached(this.entry(bySet, set), ctx.schema, set, scope);
  }

  private entry<K extends object>(map: WeakMap<K, PerScope>, key: K): PerScope {
    let entry = map.get(key);
    if (!entry) map.set(key, (entry = {}));
    return entry;
  }

  private cached(entry: PerScope, snapshot: SchemaSnapshot, set: PermissionSet | null, scope: GraphqlScope) {
    const known = entry[scope];
    if (known) return known;
    const started = performance.now();
    const schema = buildGraphqlSchema<GraphqlContext>(snapshot, {
      scope,
      permissions: set ? (collection, action) => set.get(snapshot, collection, action) : undefined,
      readsSchema: set ? (collection) => set.collections('read').includes(collection) : undefined,
      resolve: (operation, args, context, info) => this.resolvers.resolve(operation, args, context, info),
      subscribe: this.subscriber,
    });
    entry[scope] = schema;
    this.builds++;
    this.logger.debug({
      msg: 'schema built',
      scope,
      version: snapshot.version,
      policies: set?.fingerprint ?? 'admin',
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
    return schema;
  }
}

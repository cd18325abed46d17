/**
 * Tessera's public extension API: the ONLY supported import surface for extension modules. Everything else under
 * `src/` is internal and may change in any release. See docs/extending.md.
 *
 * @packageDocumentation
 */

// The compiled barrel resolves the `@lib/*` aliases itself, so `require('tessera')` works without main.ts.
import './register-paths';

// Building the application.
export { createApp } from './create-app';
export { loadConfig, type Config } from './config/config';
export { configureApp } from './core/http/configure-app';
export { TesseraModule, type TesseraModuleOptions } from './core/extensions/tessera.module';
export { loadExtensions, type ExtensionModule } from './core/extensions/load-extensions';

// Hooks.
export {
  ItemsFilter,
  ItemsAction,
  type ItemsEventName,
  type ItemsFilterEventName,
  type ItemsHookOptions,
} from './core/extensions/extension-decorators';
export type {
  MutationEvent,
  MutationAction,
  FilterAction,
  Item,
  PrimaryKey,
  FilterHook,
} from './core/events/items-events';
export { ItemsEventBus } from './core/events/items-event-bus';

// The domain façade for custom endpoints.
export { ItemsModule } from './modules/items/items.module';
export { ItemsService } from './modules/items/items.service';
export { ItemsResult, type ItemsMeta } from './modules/items/items-result';
export { ItemsContextFactory } from './modules/items/items-context.factory';
export type { ItemsContext, Transport } from './core/context/items-context';
export type { Accountability } from './core/context/accountability';
export { Ctx, Acc } from './core/http/request-context.decorator';

// Directus-style errors: throw one from a filter hook or an endpoint and the client gets its envelope and status.
export {
  DirectusError,
  ForbiddenError,
  InvalidQueryError,
  InvalidPayloadError,
  RouteNotFoundError,
  RecordNotUniqueError,
  FailedValidationError,
  ServiceUnavailableError,
  InternalServerError,
} from '@lib/errors';

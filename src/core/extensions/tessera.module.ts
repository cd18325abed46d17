import type { DynamicModule } from '@nestjs/common';
import { AppModule } from '../../app.module';
import type { Config } from '../../config/config';
import type { ExtensionModule } from './load-extensions';

/** Options of {@link TesseraModule.forRoot}. */
export interface TesseraModuleOptions {
  /**
   * The Nest modules an enterprise team adds: their providers may carry `@ItemsFilter` / `@ItemsAction` methods, their
   * controllers are custom endpoints. The packaged server takes them from `EXTENSIONS` instead.
   */
  readonly extensions?: readonly ExtensionModule[];
}

/**
 * The whole Tessera application as one Nest module. `createApp(config, extensions)` builds the server with it; use
 * it directly to embed Tessera in a Nest application of your own:
 *
 * ```ts
 * NestFactory.create(TesseraModule.forRoot(loadConfig(), { extensions: [AcmeModule] }), { bodyParser: false });
 * ```
 *
 * (then call `configureApp(app, config)` before `app.init()`, as `createApp` does).
 */
export class TesseraModule {
  /** The application module with the given configuration and extension modules. */
  static forRoot(config: Config, options: TesseraModuleOptions = {}): DynamicModule {
    return AppModule.forRoot(config, [...(options.extensions ?? [])]);
  }
}

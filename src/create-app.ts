import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import type { Config } from './config/config';
import { loadExtensions, type ExtensionModule } from './core/extensions/load-extensions';
import { configureApp } from './core/http/configure-app';
import { createLogger } from './core/logging/logger';

/**
 * Builds the configured application (not yet listening). Shared by main.ts, the CLI and the e2e tests. Extension
 * modules are the given ones, or else those named by the configuration's EXTENSIONS.
 */
export async function createApp(
  config: Config,
  extensions: ExtensionModule[] = loadExtensions(config.extensions),
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, extensions), {
    bodyParser: false,
    logger: createLogger(config),
  });
  configureApp(app, config);
  await app.init();
  return app;
}

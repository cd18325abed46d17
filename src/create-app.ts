import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import type { Config } from './config/config';
import { configureApp } from './core/http/configure-app';
import { createLogger } from './core/logging/logger';

/** Builds the configured application (not yet listening). Shared by main.ts, the CLI and the e2e tests. */
export async function createApp(config: Config): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: createLogger(config),
  });
  configureApp(app, config);
  await app.init();
  return app;
}

import './register-paths';
import { Logger } from '@nestjs/common';
import { loadConfig, ConfigError } from './config/config';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const app = await createApp(config);
  const logger = new Logger('Tessera');
  if (config.secretGenerated) {
    logger.warn('SECRET is not set: a random one is used, so tokens will not survive a restart');
  }
  await app.listen(config.port, config.host);
  logger.log({ msg: `Tessera listening on http://${config.host}:${config.port}`, bootMs: Date.now() - started });

  // Ordered shutdown: stop accepting, close pools and listeners, stop the embedded cluster, then exit 0.
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log({ msg: 'shutting down', signal });
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ msg: 'shutdown failed', error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ? `configuration: ${error.message}` : String((error as Error)?.stack ?? error);
  process.stderr.write(JSON.stringify({ level: 'fatal', context: 'Tessera', message }) + '\n');
  process.exit(1);
});

import './register-paths';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { loadConfig } from './config/config';
import { createLogger } from './core/logging/logger';

/**
 * `npm run cli -- bootstrap`: connect (starting the embedded PostgreSQL if no database is configured), run the
 * migrations and create the admin user on first boot, then exit without serving.
 */
async function main(argv: string[]): Promise<void> {
  const [command] = argv;
  if (command !== 'bootstrap') {
    process.stderr.write('usage: npm run cli -- bootstrap\n');
    process.exit(2);
  }
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: createLogger(config) });
  await app.init();
  await app.close();
  process.stdout.write(JSON.stringify({ level: 'log', context: 'CLI', message: 'bootstrap complete' }) + '\n');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(JSON.stringify({ level: 'fatal', context: 'CLI', message: String(error) }) + '\n');
  process.exit(1);
});

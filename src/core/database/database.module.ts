import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { DatabaseConnection } from './database-connection';
import { Database } from './database.service';
import { MIKRO_ORM } from './database.tokens';
import { MIGRATIONS } from './migrations/20261123-system-tables.migration';
import { bootstrapAdmin } from './bootstrap';
import { adoptSystemTables } from './directus-adoption';
import { SYSTEM_ENTITIES } from './system.entities';

const logger = new Logger('Database');

/** Opens MikroORM on a pooled connection and brings the system tables up to date (MikroORM migrations). */
export async function openOrm(connection: DatabaseConnection, config: Config): Promise<MikroORM> {
  const orm = await MikroORM.init({
    clientUrl: connection.url,
    entities: SYSTEM_ENTITIES,
    extensions: [Migrator],
    pool: { max: config.dbPoolMax },
    migrations: { migrationsList: MIGRATIONS, tableName: 'tessera_migrations', snapshot: false, transactional: true },
    debug: false,
    colors: false,
    logger: (message: string) => logger.log(message),
    allowGlobalContext: false,
  });
  try {
    const ran = await orm.migrator.up();
    if (ran.length) logger.log(`migrations applied: ${ran.map((m) => m.name).join(', ')}`);
  } catch (error) {
    await orm.close(true); // a database Tessera can't adopt: fail the boot without leaving the pool open
    throw error;
  }
  return orm;
}

@Global()
@Module({
  providers: [
    {
      provide: DatabaseConnection,
      inject: [CONFIG],
      useFactory: (config: Config) => DatabaseConnection.open(config, (m) => logger.log(m)),
    },
    {
      provide: MIKRO_ORM,
      inject: [DatabaseConnection, CONFIG],
      useFactory: (connection: DatabaseConnection, config: Config) => openOrm(connection, config),
    },
    {
      provide: Database,
      inject: [MIKRO_ORM, DatabaseConnection, CONFIG],
      useFactory: async (orm: MikroORM, connection: DatabaseConnection, config: Config) => {
        const db = new Database(orm, connection);
        await db.init();
        await adoptSystemTables(db, logger);
        await bootstrapAdmin(db, config, (m) => logger.log(m));
        return db;
      },
    },
  ],
  exports: [Database, MIKRO_ORM, DatabaseConnection],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    private readonly db: Database,
    @Inject(MIKRO_ORM) private readonly orm: MikroORM,
    private readonly connection: DatabaseConnection,
  ) {}

  /** Listeners, then the pool, then the embedded cluster: nothing is left running after SIGINT/SIGTERM. */
  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
    await this.orm.close(true);
    await this.connection.stop();
  }
}

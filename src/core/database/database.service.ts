import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@nestjs/common';
import { CompiledQuery, type Transaction as KyselyTransaction } from 'kysely';
import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import { Client, type Pool } from 'pg';
import { DatabaseConnection } from './database-connection';

interface TxState {
  readonly em: EntityManager;
  readonly trx: KyselyTransaction<unknown>;
}

export type Row = Record<string, unknown>;

/**
 * The one way the application talks SQL. MikroORM owns the pool, migrations and transaction boundaries; statements
 * compiled by libs/query run through it with **bound parameters** ($1..$n), never interpolated.
 *
 * A transaction started with `transaction()` is carried by AsyncLocalStorage, so every `query()` awaited inside it,
 * however deep in the call graph, joins it without passing handles around.
 */
export class Database {
  private readonly logger = new Logger('Database');
  private readonly tx = new AsyncLocalStorage<TxState>();
  private readonly listeners: Client[] = [];
  private pool!: Pool;
  private closed = false;
  /** Statements sent so far; e2e tests read the delta around one request to catch N+1 plans. */
  statements = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly connection: DatabaseConnection,
  ) {}

  async init(): Promise<void> {
    this.pool = await this.orm.em.getConnection().getNativeClient();
  }

  get em(): EntityManager {
    return this.tx.getStore()?.em ?? this.orm.em;
  }

  get inTransaction(): boolean {
    return this.tx.getStore() !== undefined;
  }

  async query<R = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    this.statements++;
    const state = this.tx.getStore();
    if (state) {
      const result = await state.trx.executeQuery(CompiledQuery.raw(sql, params as unknown[]));
      return result.rows as R[];
    }
    const result = await this.pool.query(sql, params as unknown[]);
    return result.rows as R[];
  }

  /** Runs `fn` in one transaction (joining the current one if there is one). Any throw rolls everything back. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.tx.getStore()) return fn();
    return this.orm.em.fork().transactional(async (em) => {
      const trx = em.getTransactionContext<KyselyTransaction<unknown>>();
      if (!trx) throw new Error('MikroORM did not open a transaction context');
      return this.tx.run({ em, trx }, fn);
    });
  }

  /** Subscribes to a PostgreSQL NOTIFY channel on a dedicated connection; reconnects if it drops. */
  async listen(channel: string, onMessage: (payload: string) => void): Promise<void> {
    const connect = async (): Promise<void> => {
      const client = new Client({ connectionString: this.connection.url });
      client.on('notification', (m) => m.channel === channel && onMessage(m.payload ?? ''));
      client.on('error', (error) => {
        if (this.closed) return;
        this.logger.warn(`LISTEN ${channel} connection lost: ${error.message}; reconnecting`);
        this.listeners.splice(this.listeners.indexOf(client), 1);
        setTimeout(() => void connect().catch((e) => this.logger.error(String(e))), 500).unref();
      });
      await client.connect();
      await client.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
      this.listeners.push(client);
    };
    await connect();
  }

  async notify(channel: string, payload: string): Promise<void> {
    await this.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  async close(): Promise<void> {
    this.closed = true;
    const clients = this.listeners.splice(0);
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}

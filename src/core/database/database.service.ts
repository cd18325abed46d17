import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@nestjs/common';
import { CompiledQuery, type Transaction as KyselyTransaction } from 'kysely';
import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import { Client, type Pool } from 'pg';
import { compileListen, compileNotify } from '@lib/query';
import { DatabaseConnection } from './database-connection';

interface TxState {
  readonly em: EntityManager;
  readonly trx: KyselyTransaction<unknown>;
  /** Run once the outermost transaction has committed (never after a rollback). */
  readonly committed: (() => void)[];
}

export type Row = Record<string, unknown>;

export interface QueryOptions {
  /** Reuse the plan of a statement shape that recurs (reads compiled by libs/query). */
  prepare?: boolean;
}

const MAX_PREPARED = 256;
const MAX_CANDIDATES = 4096;

/** Connections are retired after this many uses, releasing their prepared statements on both sides. */
const MAX_CONNECTION_USES = 20_000;

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
  /** Inside {@link autocommit}: whether its one statement has been sent. */
  private readonly single = new AsyncLocalStorage<{ sent: boolean }>();
  private readonly listeners: Client[] = [];
  private pool!: Pool;
  private closed = false;
  /** Pending LISTEN reconnects, cancelled by close(). */
  private readonly retries = new Set<NodeJS.Timeout>();
  /** Statement text → its prepared statement's name (V8 hashes the text natively, once per lookup). */
  private readonly prepared = new Map<string, string>();
  private readonly candidates = new Map<string, number>();
  /** Statements sent so far; e2e tests read the delta around one request to catch N+1 plans. */
  statements = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly connection: DatabaseConnection,
  ) {}

  async init(): Promise<void> {
    this.pool = await this.orm.em.getConnection().getNativeClient();
    // Statements the EntityManager sends (users, sessions) count like the ones sent through query().
    this.orm.config.set('onQuery', (sql: string) => {
      this.statements++;
      return sql;
    });
    (this.pool as Pool & { options: { maxUses?: number } }).options.maxUses = MAX_CONNECTION_USES;
  }

  /**
   * The EntityManager for the fixed system tables (users, sessions): the current transaction's, or a fresh fork
   * (its own identity map, autocommit) outside one.
   */
  get em(): EntityManager {
    return this.tx.getStore()?.em ?? this.orm.em.fork();
  }

  get inTransaction(): boolean {
    return this.tx.getStore() !== undefined;
  }

  /** Runs a statement compiled by libs/query (`{ sql, params }`), as `query` does. */
  run<R = Row>(
    statement: { readonly sql: string; readonly params: readonly unknown[] },
    options: QueryOptions = {},
  ): Promise<R[]> {
    return this.query<R>(statement.sql, statement.params, options);
  }

  async query<R = Row>(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}): Promise<R[]> {
    this.statements++;
    const state = this.tx.getStore();
    if (state) {
      const result = await state.trx.executeQuery(CompiledQuery.raw(sql, params as unknown[]));
      return result.rows as R[];
    }
    const single = this.single.getStore();
    if (single) {
      // A programming error in the caller's proof, caught before anything half-written can exist.
      if (single.sent) throw new Error('a second statement inside Database.autocommit(): use transaction()');
      single.sent = true;
    }
    const name = options.prepare ? this.preparedName(sql) : null;
    const result = await this.pool.query(
      name ? { name, text: sql, values: params as unknown[] } : { text: sql, values: params as unknown[] },
    );
    return result.rows as R[];
  }

  /**
   * Large compiled reads cost PostgreSQL more to plan than to run (a single-item read: ~0.8 ms planning, ~0.5 ms
   * execution). A statement shape seen twice becomes a named prepared statement, planned once per connection. The
   * set of prepared shapes is bounded, and pooled connections are retired after a number of uses, so neither this
   * process nor the server accumulates statements without limit.
   */
  private preparedName(sql: string): string | null {
    const name = this.prepared.get(sql);
    if (name !== undefined) return name;
    const seen = (this.candidates.get(sql) ?? 0) + 1;
    if (seen < 2) {
      if (this.candidates.size >= MAX_CANDIDATES) this.candidates.clear();
      this.candidates.set(sql, seen);
      return null;
    }
    this.candidates.delete(sql);
    if (this.prepared.size >= MAX_PREPARED) return null;
    const fresh = `t${this.prepared.size}`;
    this.prepared.set(sql, fresh);
    return fresh;
  }

  /**
   * Runs `fn` in one transaction (joining the current one if there is one). Any throw rolls everything back. What
   * was registered with {@link afterCommit} runs once the OUTERMOST transaction has committed: a joined transaction
   * commits nothing of its own.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.tx.getStore()) return fn();
    if (this.single.getStore()) throw new Error('a transaction inside Database.autocommit(): use transaction()');
    const committed: (() => void)[] = [];
    const result = await this.orm.em.fork().transactional(async (em) => {
      const trx = em.getTransactionContext<KyselyTransaction<unknown>>();
      if (!trx) throw new Error('MikroORM did not open a transaction context');
      return this.tx.run({ em, trx, committed }, fn);
    });
    for (const callback of committed) this.outsideScope(callback);
    return result;
  }

  /**
   * Runs `callback` after the current transaction's outermost commit, or right away outside a transaction (a
   * statement sent outside one has committed already). Never runs for a transaction that rolls back.
   *
   * The callback, and everything it schedules, runs outside the writer's database scope: neither in its (finished)
   * transaction nor in its {@link autocommit} scope, where a further statement would throw. A listener that reads the
   * database after a one-statement write sends its own statements, as after any other commit.
   */
  afterCommit(callback: () => void): void {
    const state = this.tx.getStore();
    if (state) state.committed.push(callback);
    else this.outsideScope(callback);
  }

  /** Runs `callback` (and what it schedules: promises inherit the context) with no transaction or autocommit scope. */
  private outsideScope(callback: () => void): void {
    this.single.exit(() => this.tx.exit(callback));
  }

  /**
   * Runs `fn`, whose caller has proven it writes with exactly ONE statement, without BEGIN and COMMIT: PostgreSQL
   * runs a lone statement as its own transaction, all or nothing, so the guarantee is the same at a quarter of the
   * round trips (BEGIN, statement, COMMIT, plus the re-read of the result). A second statement throws before it
   * is sent; nothing can be half-written.
   */
  async autocommit<T>(fn: () => Promise<T>): Promise<T> {
    if (this.tx.getStore()) return fn();
    return this.single.run({ sent: false }, fn);
  }

  /**
   * Subscribes to a PostgreSQL NOTIFY channel on a dedicated connection. If the connection drops (or cannot be made
   * again), it retries every 500 ms until it is back or the database is closed; close() cancels a pending retry.
   * Notifications sent while it is down are lost: `options.onLost` runs once when the connection drops (after every
   * notification it received), and `options.onReconnect` after each successful re-LISTEN, so that the listener can
   * re-read what it missed (the realtime feed replays the change log).
   */
  async listen(
    channel: string,
    onMessage: (payload: string) => void,
    options: { onLost?: () => void; onReconnect?: () => void } = {},
  ): Promise<void> {
    const retry = (): void => {
      const timer = setTimeout(() => {
        this.retries.delete(timer);
        connect()
          .then((connected) => connected && options.onReconnect?.())
          .catch((error: Error) => {
            if (this.closed) return;
            this.logger.warn(`LISTEN ${channel} reconnect failed: ${error.message}; retrying`);
            retry();
          });
      }, 500);
      timer.unref();
      this.retries.add(timer);
    };
    const connect = async (): Promise<boolean> => {
      if (this.closed) return false;
      const client = new Client({ connectionString: this.connection.url });
      let lost = false;
      client.on('notification', (m) => m.channel === channel && onMessage(m.payload ?? ''));
      client.on('error', (error) => {
        // A terminated backend reports its FATAL error and then the socket's end: one reconnect, not two.
        if (this.closed || lost) return;
        lost = true;
        const at = this.listeners.indexOf(client);
        if (at < 0) return; // still connecting: connect() rejects and its caller retries
        this.logger.warn(`LISTEN ${channel} connection lost: ${error.message}; reconnecting`);
        this.listeners.splice(at, 1);
        options.onLost?.();
        retry();
      });
      try {
        await client.connect();
        await client.query(compileListen(channel));
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      if (this.closed || lost) {
        await client.end().catch(() => undefined);
        if (this.closed) return false;
        throw new Error('connection lost while it was being made');
      }
      this.listeners.push(client);
      return true;
    };
    await connect();
  }

  async notify(channel: string, payload: string): Promise<void> {
    await this.run(compileNotify(channel, payload));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
    const clients = this.listeners.splice(0);
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}

import { Injectable, Logger } from '@nestjs/common';
import {
  compileChangesAfter,
  compileChangesLast,
  compileChangesRange,
  compileChangesRanges,
  type ChangeRow,
} from '@lib/query';
import { Database } from '../../core/database/database.service';
import { RealtimeSubscriptions } from './realtime-subscriptions.service';

/** The change capture's NOTIFY channel (libs/query capture.ts): payload `<first id>-<last id>`. */
export const CHANGES_CHANNEL = 'tessera_changes';
/** Rows per statement when the feed re-reads the log after its LISTEN connection came back. */
const REPLAY_BATCH = 500;

/**
 * This instance's side of the change log: one LISTEN connection (Database.listen, as the schema registry does for
 * schema changes); each announced id range is read ONCE and its rows handed to the subscriptions, one row at a time,
 * in the order the writing transactions committed (PostgreSQL delivers NOTIFY in commit order). Ranges announced
 * while the feed is busy are read together, in one statement. Every instance does the same for its own sockets, so a
 * write through any instance reaches subscribers on all of them, no broker needed. Resumes run on the same queue, so
 * a replay and live delivery never interleave. The subscriptions only read here: their sockets are written by their
 * fan-out, which never holds up the feed.
 *
 * Nothing missed (issue 14): the feed keeps the newest log id it has delivered (from the log's newest id at start).
 * When the LISTEN connection drops, the NOTIFYs sent meanwhile are lost; once it is back, the feed reads every row
 * after the newest id delivered before the drop and delivers them in id order through the same path. Rows delivered
 * from that drop until the replay has finished are remembered by id, so a NOTIFY range that overlaps the replay (a
 * commit after the re-LISTEN that the replay's read saw too) delivers nothing twice.
 */
@Injectable()
export class RealtimeFeed {
  private readonly logger = new Logger('Realtime');
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  private started: Promise<void> | null = null;
  private readonly listeners = new Set<(change: ChangeRow) => void>();
  /** Ranges announced and not yet read, in NOTIFY (commit) order; `reading` while a read of them is queued. */
  private pending: [string, string][] = [];
  private reading = false;
  /** Rows read from the log so far (tests and the bench read it). */
  delivered = 0;
  /** The newest log id delivered (or the log's newest at start): a replay after a reconnect reads after it. */
  private lastId = 0n;
  /** While a drop is being caught up: the newest id delivered before it (the replay reads after it). */
  private replayFrom: bigint | null = null;
  /** Counts the LISTEN connection's drops; a replay closes the catch-up only if none came after its reconnect. */
  private drops = 0;
  /** Ids delivered since a drop, until its replay is done (and checked until the next drop): nothing twice. */
  private readonly caughtUp = new Set<string>();
  private catchingUp = false;
  /** Rows delivered by replays after reconnects (tests read it). */
  replayed = 0;

  constructor(
    private readonly db: Database,
    private readonly subscriptions: RealtimeSubscriptions,
  ) {}

  /** LISTENs once, however many transports start the feed (a failed start may be retried). */
  start(): Promise<void> {
    this.started ??= this.db
      .listen(CHANGES_CHANNEL, (payload) => this.announced(payload), {
        onLost: () => this.lost(),
        onReconnect: () => this.reconnected(),
      })
      .then(() =>
        // Start from the log's newest id: rows committed after the LISTEN are announced; a replay reads after it.
        this.run(async () => {
          const statement = compileChangesLast();
          const [row] = await this.db.query<{ last: string | null }>(statement.sql, [...statement.params]);
          if (row?.last && BigInt(row.last) > this.lastId) this.lastId = BigInt(row.last);
        }),
      )
      .catch((error: unknown) => {
        this.started = null;
        throw error;
      });
    return this.started;
  }

  /**
   * Calls `listener` with every change row this instance reads from the log (writes through any instance), in commit
   * order, synchronously before the /websocket subscriptions get it; returns the function that stops it. For other
   * transports (GraphQL subscriptions); a listener that throws is logged and does not stop the feed.
   */
  listen(listener: (change: ChangeRow) => void): () => void {
    const entry = (change: ChangeRow) => listener(change);
    this.listeners.add(entry);
    return () => void this.listeners.delete(entry);
  }

  stop(): void {
    this.stopped = true;
  }

  /** Runs `task` on the feed's queue (after every range announced before it) and resolves when it is done. */
  run(task: () => Promise<void>): Promise<void> {
    const done = this.queue.then(task);
    this.queue = done.catch((error: unknown) => {
      if (!this.stopped) this.logger.error({ msg: 'realtime delivery failed', error: String(error) });
    });
    return done;
  }

  /** Resolves once everything queued so far has been delivered (and handed to the sockets). */
  async idle(): Promise<void> {
    await this.queue;
    await this.subscriptions.drained();
  }

  private announced(payload: string): void {
    const range = /^(\d+)-(\d+)$/.exec(payload);
    if (!range || this.stopped) return;
    this.pending.push([range[1], range[2]]);
    if (this.reading) return;
    this.reading = true;
    void this.run(async () => {
      // Everything announced until this task's turn is read in one statement.
      const ranges = this.pending;
      this.pending = [];
      this.reading = false;
      if (this.stopped || !ranges.length) return;
      const statement =
        ranges.length === 1 ? compileChangesRange(ranges[0][0], ranges[0][1]) : compileChangesRanges(ranges);
      const rows = await this.db.query<ChangeRow>(statement.sql, [...statement.params]);
      for (const row of rows) {
        if (this.stopped) return;
        await this.deliver(row);
      }
    }).catch(() => undefined);
  }

  /** The LISTEN connection dropped (every NOTIFY it got is queued): note the newest id delivered before the drop. */
  private lost(): void {
    if (this.stopped) return;
    this.drops++;
    if (!this.catchingUp) {
      this.catchingUp = true;
      this.caughtUp.clear();
    }
    void this.run(async () => {
      // Runs after every range announced before the drop: lastId is the newest delivered before it.
      this.replayFrom ??= this.lastId;
    }).catch(() => undefined);
  }

  /** LISTENing again: delivers, in id order, every row after the newest delivered before the drop. */
  private reconnected(): void {
    if (this.stopped) return;
    const drops = this.drops;
    void this.run(async () => {
      let after = this.replayFrom ?? this.lastId;
      for (;;) {
        const statement = compileChangesAfter(after.toString(), REPLAY_BATCH);
        const rows = await this.db.query<ChangeRow>(statement.sql, [...statement.params]);
        for (const row of rows) {
          if (this.stopped) return;
          if (await this.deliver(row)) this.replayed++;
        }
        if (rows.length < REPLAY_BATCH) break;
        after = BigInt(rows[rows.length - 1].id);
      }
      if (drops === this.drops) {
        // Caught up, and no drop since this reconnect: later NOTIFYs still skip what the replay delivered.
        this.replayFrom = null;
        this.catchingUp = false;
      }
    }).catch(() => undefined);
  }

  /** Hands one row to the listeners and the subscriptions, unless a replay or a NOTIFY range delivered it already. */
  private async deliver(row: ChangeRow): Promise<boolean> {
    if (this.caughtUp.has(row.id)) return false;
    if (this.catchingUp) this.caughtUp.add(row.id);
    const id = BigInt(row.id);
    if (id > this.lastId) this.lastId = id;
    this.delivered++;
    for (const listener of this.listeners) {
      try {
        listener(row);
      } catch (error) {
        this.logger.error({ msg: 'change listener failed', error: String(error) });
      }
    }
    await this.subscriptions.dispatch(row);
    return true;
  }
}

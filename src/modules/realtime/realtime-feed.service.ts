import { Injectable, Logger } from '@nestjs/common';
import {
  compileChangesAfter,
  compileChangesLast,
  compileChangeWriters,
  compileWritersRunning,
  type ChangeRow,
} from '@lib/query';
import { Database } from '../../core/database/database.service';
import { RealtimeSubscriptions } from './realtime-subscriptions.service';

/** The change capture's NOTIFY channel (libs/query capture.ts): payload `<first id>-<last id>`. */
export const CHANGES_CHANNEL = 'tessera_changes';
/** Rows per statement when the feed reads the log. */
const BATCH = 500;
/** How long the feed waits for the writers that may still hold a missing id before it gives up on them. */
const WRITERS_TIMEOUT_MS = 10_000;

type Row = Record<string, unknown>;

/**
 * This instance's side of the change log: one LISTEN connection (Database.listen, as the schema registry does for
 * schema changes); a NOTIFY only says "there is more": the feed reads every row after the newest id it has settled
 * (in one statement, however many NOTIFYs came meanwhile) and hands them to the listeners and the subscriptions one
 * row at a time, in ID order. Every instance does the same for its own sockets, so a write through any instance
 * reaches subscribers on all of them, in the same order, no broker needed. Resumes run on the same queue, so a replay
 * and live delivery never interleave. The subscriptions only read here: their sockets are written by their fan-out,
 * which never holds up the feed.
 *
 * Id order, not commit order (issue 14: a resume gets everything after an event id, nothing missed, nothing twice).
 * Log ids are drawn from a sequence inside the writing transactions, so two concurrent writes can commit in the other
 * order: id 7 may become visible after id 8. The feed therefore delivers an id only once every smaller id is settled:
 * delivered, or known never to come. When a read shows a gap below a visible row, the ids missing belong to
 * transactions that were still running when that row was read, or to ones that rolled back. The feed then asks which
 * transactions hold a write lock on the log (a writer takes it before drawing its id and keeps it until it ends), waits
 * for exactly those to end, and reads the range again: what is still missing then never comes. Every id up to that
 * row is then settled. Without gaps (one writer at a time, as in the benchmark) this costs nothing: one read per
 * NOTIFY, as before. Consequences: an event id is a position in one order shared by every instance; a resume after it
 * replays up to what this instance has settled and goes live after it; a LISTEN connection that drops loses nothing
 * (the feed reads after what it settled once it is back).
 */
@Injectable()
export class RealtimeFeed {
  private readonly logger = new Logger('Realtime');
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  private started: Promise<void> | null = null;
  private readonly listeners = new Set<(change: ChangeRow) => void>();
  /** A read of the log is queued and has not started yet (NOTIFYs meanwhile need no other). */
  private scheduled = false;
  /** Where to start is known (reads before that would take the whole log for new). */
  private ready = false;
  /** Every log id up to this one is settled: delivered, or known never to come. */
  private settled = 0n;
  /** Wakes a wait for writers early (a NOTIFY: a writer committed). */
  private wake: (() => void) | null = null;
  /** Rows read from the log and delivered so far (tests and the bench read it). */
  delivered = 0;
  /** Rows delivered by the catch-up after the LISTEN connection came back (tests read it). */
  replayed = 0;
  /** Gaps the feed waited on (tests read it). */
  gaps = 0;

  constructor(
    private readonly db: Database,
    private readonly subscriptions: RealtimeSubscriptions,
  ) {}

  /** LISTENs once, however many transports start the feed (a failed start may be retried). */
  start(): Promise<void> {
    this.started ??= this.db
      .listen(CHANGES_CHANNEL, () => this.announced(), {
        onReconnect: () => this.reconnected(),
      })
      .then(() => this.run(() => this.startAt()))
      .catch((error: unknown) => {
        this.started = null;
        throw error;
      });
    return this.started;
  }

  /**
   * Calls `listener` with every change row this instance reads from the log (writes through any instance), in id
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
    this.wake?.();
  }

  /** Runs `task` on the feed's queue (after every read queued before it) and resolves when it is done. */
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

  /**
   * Where this instance starts: the log's newest id, once no transaction that may still hold a smaller id is running
   * (those are history: nobody can have subscribed yet).
   */
  private async startAt(): Promise<void> {
    const [row] = await this.query<{ last: string | null }>(compileChangesLast());
    await this.writersEnded();
    this.settle(row?.last ? BigInt(row.last) : 0n);
    this.ready = true;
    // What committed since the newest id was read (its NOTIFY may have come before this).
    this.schedule();
  }

  private announced(): void {
    this.wake?.();
    this.schedule();
  }

  /** LISTENing again after a drop: the NOTIFYs meanwhile are lost, the log is not. */
  private reconnected(): void {
    const before = this.delivered;
    this.schedule(() => (this.replayed += this.delivered - before));
  }

  private schedule(then?: () => void): void {
    if (this.stopped || !this.ready || (this.scheduled && !then)) return;
    this.scheduled = true;
    void this.run(async () => {
      this.scheduled = false;
      await this.catchUp();
      then?.();
    }).catch(() => undefined);
  }

  /** Delivers every row after the settled id, in id order; waits out the writers of any gap first. */
  private async catchUp(): Promise<void> {
    while (!this.stopped) {
      const rows = await this.query<ChangeRow>(compileChangesAfter(this.settled.toString(), BATCH));
      if (!rows.length) return;
      let at = 0;
      while (at < rows.length && BigInt(rows[at].id) === this.settled + 1n) await this.deliver(rows[at++]);
      if (at < rows.length) {
        // A gap below rows[at]: settle everything up to the last row read, once its writers have ended.
        const top = rows[rows.length - 1].id;
        this.gaps++;
        await this.writersEnded();
        for (const row of await this.query<ChangeRow>(compileChangesAfter(this.settled.toString(), BATCH, top))) {
          if (this.stopped) return;
          await this.deliver(row);
        }
        this.settle(BigInt(top));
      } else if (rows.length < BATCH) return;
    }
  }

  /**
   * Waits until every transaction that holds a write lock on the log now has ended: after that, an id drawn before
   * this call is either visible or never will be. Gives up after WRITERS_TIMEOUT_MS (a writer left open, say a
   * session idle in a transaction), with a warning: a row it commits later, below what is settled, is not delivered.
   */
  private async writersEnded(): Promise<void> {
    const [row] = await this.query<{ writers: string[] }>(compileChangeWriters());
    const writers = row?.writers ?? [];
    if (!writers.length) return;
    const deadline = Date.now() + WRITERS_TIMEOUT_MS;
    for (let pause = 1; !this.stopped; pause = Math.min(pause * 2, 50)) {
      const [state] = await this.query<{ running: boolean }>(compileWritersRunning(writers));
      if (!state?.running) return;
      if (Date.now() > deadline) {
        this.logger.warn({
          msg: 'change log writers still running; delivering past them',
          writers,
          timeoutMs: WRITERS_TIMEOUT_MS,
        });
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pause);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = null;
    }
  }

  private settle(id: bigint): void {
    if (id <= this.settled) return;
    this.settled = id;
    this.subscriptions.settled(id.toString());
  }

  /** Hands one row to the listeners and the subscriptions. */
  private async deliver(row: ChangeRow): Promise<void> {
    this.settle(BigInt(row.id));
    this.delivered++;
    for (const listener of this.listeners) {
      try {
        listener(row);
      } catch (error) {
        this.logger.error({ msg: 'change listener failed', error: String(error) });
      }
    }
    await this.subscriptions.dispatch(row);
  }

  private query<R = Row>(statement: { sql: string; params: readonly unknown[] }): Promise<R[]> {
    return this.db.query<R>(statement.sql, [...statement.params]);
  }
}

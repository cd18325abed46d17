import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { compilePrune, type RetentionTarget } from '@lib/query';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { Database } from '../../core/database/database.service';

/** What one retention pass deleted, per table. */
export type RetentionReport = Partial<Record<RetentionTarget, number>>;

const TABLES: Record<RetentionTarget, string> = {
  activity: 'directus_activity',
  revisions: 'directus_revisions',
  changes: 'tessera_changes',
};

/**
 * Background retention: ACTIVITY_RETENTION and REVISIONS_RETENTION (off by default: Tessera keeps all history unless
 * told otherwise) and WEBSOCKETS_EVENT_RETENTION (the realtime change log, 24h by default). Each pass deletes rows
 * older than the window in batches of RETENTION_BATCH rows, each batch ONE short autocommitted statement (libs/query
 * compilePrune), so writers never wait behind a long lock; progress is logged as JSON. A pass runs shortly after boot
 * and then every RETENTION_INTERVAL; {@link runOnce} runs one now.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Retention');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RetentionReport> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Database,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  onApplicationBootstrap(): void {
    const schedule = (delay: number) => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.runOnce()
          .catch((error: unknown) => this.logger.error({ msg: 'retention pass failed', error: String(error) }))
          .finally(() => schedule(this.config.retentionIntervalMs));
      }, delay);
      this.timer.unref();
    };
    schedule(Math.min(60_000, this.config.retentionIntervalMs));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** The windows in effect: each table's cutoff relative to `now`; tables without retention are left out. */
  windows(now = new Date()): Partial<Record<RetentionTarget, Date>> {
    const ago = (ms: number | null) => (ms === null ? undefined : new Date(now.getTime() - ms));
    const out: Partial<Record<RetentionTarget, Date>> = {};
    const activity = ago(this.config.activityRetentionMs);
    const revisions = ago(this.config.revisionsRetentionMs);
    const changes = ago(this.config.websocketsEventRetentionMs);
    if (activity) out.activity = activity;
    if (revisions) out.revisions = revisions;
    if (changes) out.changes = changes;
    return out;
  }

  /** One pass over every table with a retention window (a pass already running is awaited instead). */
  runOnce(now = new Date()): Promise<RetentionReport> {
    this.running ??= this.pass(now).finally(() => (this.running = null));
    return this.running;
  }

  private async pass(now: Date): Promise<RetentionReport> {
    const report: RetentionReport = {};
    // Revisions first: a revision window shorter than the activity window prunes them on its own.
    const order: RetentionTarget[] = ['revisions', 'activity', 'changes'];
    const windows = this.windows(now);
    for (const target of order) {
      const cutoff = windows[target];
      if (!cutoff) continue;
      report[target] = await this.prune(target, cutoff);
    }
    return report;
  }

  private async prune(target: RetentionTarget, cutoff: Date): Promise<number> {
    const batch = this.config.retentionBatch;
    const statement = compilePrune(target, cutoff, batch);
    const started = Date.now();
    let total = 0;
    let batches = 0;
    for (;;) {
      if (this.stopped) break;
      const [row] = await this.db.query<{ n: number }>(statement.sql, statement.params);
      const n = row?.n ?? 0;
      total += n;
      batches++;
      if (n > 0) {
        this.logger.log({
          msg: 'retention batch',
          table: TABLES[target],
          deleted: n,
          total,
          cutoff: cutoff.toISOString(),
        });
      }
      if (n < batch) break;
    }
    if (total > 0) {
      this.logger.log({
        msg: 'retention done',
        table: TABLES[target],
        deleted: total,
        batches,
        ms: Date.now() - started,
        cutoff: cutoff.toISOString(),
      });
    }
    return total;
  }
}

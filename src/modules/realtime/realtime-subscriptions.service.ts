import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ForbiddenError, InvalidPayloadError } from '@lib/errors';
import { compileChangeKnown, compileChangesAfter, type ChangeRow, type Query } from '@lib/query';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import type { Accountability } from '../../core/context/accountability';
import type { ItemsContext } from '../../core/context/items-context';
import { Database } from '../../core/database/database.service';
import type { PrimaryKey } from '../../core/events/items-events';
import { isObject } from '../items/items-input';
import { ItemsContextFactory } from '../items/items-context.factory';
import { ItemsService } from '../items/items.service';
import { SystemItemsService } from '../items/system-items.service';
import type { RealtimeConnection } from './realtime-connection';
import { FanOut } from './realtime-fanout';
import { RealtimeGroupReads, same } from './realtime-group-reads';
import { INVALID_COLLECTION_MESSAGE, RealtimeError, uidOf, type Message } from './realtime-messages';

type Action = 'create' | 'update' | 'delete';
const ACTIONS: readonly string[] = ['create', 'update', 'delete'];

/** One `subscribe` of one connection. */
export interface Subscription {
  /** The uid as a string, or a generated key when the client sent none (such subscriptions never replace). */
  readonly key: string;
  readonly uid: string | undefined;
  readonly connection: RealtimeConnection;
  readonly collection: string;
  readonly query: Query;
  readonly event: Action | undefined;
  readonly item: PrimaryKey | undefined;
  group: Group | null;
  /** False while a resume (`after`) replays what the client missed: live events wait for the replay. */
  live: boolean;
  /**
   * A resume's `after`: the client has every event up to it (from this instance or another one, which may be ahead of
   * this one), so live delivery skips those.
   */
  resumedAt: bigint | null;
  /** Its event messages carry the change-log `id` (WEBSOCKETS_EVENT_IDS, or a subscription with `after`). */
  readonly ids: boolean;
  /**
   * Changes committed before its init read that the feed had not delivered yet: the init shows them, so they are not
   * sent again (Directus, which emits in process, never follows an init with an event the init already shows).
   */
  shown: Set<string> | null;
}

/**
 * Subscribers that share (collection, item, query, permission view): one read per event serves them all, and each
 * member gets the same data under its own uid.
 */
class Group {
  readonly members = new Set<Subscription>();

  constructor(
    readonly key: string,
    readonly collection: string,
    readonly query: Query,
    readonly item: PrimaryKey | undefined,
    /** Any member's accountability: the group's key guarantees they read alike. */
    readonly accountability: Accountability,
  ) {}

  wants(action: Action): boolean {
    for (const s of this.members) if (!s.event || s.event === action) return true;
    return false;
  }
}

const REPLAY_BATCH = 500;
/** At most this many undelivered changes are looked at when a subscription is made (their events are skipped). */
const UNDELIVERED_MAX = 1000;

/**
 * Subscriptions of /websocket (spec 10) and their delivery from the change log:
 * - subscribers are grouped by (collection, item, sanitized query, permission view); an event costs ONE read per
 *   group, made with the same ItemsService call and ItemsContext as any read of that caller, so each member gets
 *   exactly what its permissions and query allow, shaped by its `fields`;
 * - a delete reaches a group only for the keys it could see BEFORE the delete, and an update that moves a row out
 *   of a group's filter or permissions sends that group a `delete` (scope exit, WEBSOCKETS_SCOPE_EXIT_EVENTS): the
 *   change's before images are put back in a transaction that is rolled back, and each group's own read says which
 *   keys it could see (the reads: RealtimeGroupReads);
 * - a resume (`after`) replays the change log after that event id, in order, then goes live.
 */
@Injectable()
export class RealtimeSubscriptions {
  private readonly logger = new Logger('Realtime');
  private readonly groups = new Map<string, Group>();
  private readonly byCollection = new Map<string, Set<Group>>();
  /** The send side: events are queued here after their group reads and written out without holding up the feed. */
  private readonly fanOut: FanOut<Subscription>;
  /** The change feed's settled id: every event up to it was delivered (or never comes); a resume replays up to it. */
  private settledAt = '0';

  constructor(
    private readonly items: ItemsService,
    private readonly systemItems: SystemItemsService,
    private readonly contexts: ItemsContextFactory,
    private readonly db: Database,
    private readonly reads: RealtimeGroupReads,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    this.fanOut = new FanOut<Subscription>(
      (s) => s.group !== null && !s.connection.closed && s.connection.subscriptions.get(s.key) === s,
      (error) => this.logger.error({ msg: 'realtime fan-out failed', error: String(error) }),
      this.config.realtime.maxBufferedBytes,
    );
  }

  /** Resolves once every event delivered so far has been handed to the sockets. */
  drained(): Promise<void> {
    return this.fanOut.drained();
  }

  /** Subscriptions in all, and groups (for tests and the bench). */
  get stats(): { groups: number; subscriptions: number } {
    let subscriptions = 0;
    for (const g of this.groups.values()) subscriptions += g.members.size;
    return { groups: this.groups.size, subscriptions };
  }

  private service(collection: string): ItemsService {
    return collection.startsWith('directus_') ? this.systemItems : this.items;
  }

  private context(accountability: Accountability): ItemsContext {
    return this.contexts.create(accountability, { transport: 'websocket' });
  }

  // ---- subscribe / unsubscribe ------------------------------------------------------------------------------------

  /**
   * `{type:'subscribe', collection, query?, event?, item?, uid?, after?}`: checks, the init message (or, with
   * `after`, the replay of what was missed), then live delivery. `replay` runs a task on the change feed's queue.
   */
  async subscribe(
    connection: RealtimeConnection,
    message: Message,
    replay: (task: () => Promise<void>) => Promise<void>,
  ): Promise<void> {
    const uid = uidOf(message);
    const { collection, event, item, query: rawQuery, after } = message;
    if (typeof collection !== 'string' || collection === '') {
      throw new InvalidPayloadError('"collection" is required');
    }
    if (event !== undefined && (typeof event !== 'string' || !ACTIONS.includes(event))) {
      throw new InvalidPayloadError('"event" must be one of [create, update, delete]');
    }
    if (item !== undefined && typeof item !== 'string' && typeof item !== 'number') {
      throw new InvalidPayloadError('"item" must be a string or a number');
    }
    if (rawQuery !== undefined && !isObject(rawQuery)) throw new InvalidPayloadError('"query" must be of type object');
    // `after: "now"`: live from now, with event ids (how a client that wants to resume later learns them).
    const resume = after === undefined || after === 'now' ? null : String(after);
    if (resume !== null && !/^\d{1,19}$/.test(resume)) {
      throw new InvalidPayloadError('"after" must be an event id');
    }
    if (
      collection === 'directus_extensions' ||
      (item !== undefined && /^directus_(fields|relations)$/.test(collection))
    ) {
      throw new RealtimeError('INVALID_COLLECTION', INVALID_COLLECTION_MESSAGE);
    }

    const accountability = connection.accountability;
    const ctx = this.context(accountability);
    const service = this.service(collection);
    const query = service.sanitize(ctx, rawQuery ?? {});
    if (!ctx.schema.collections[collection]) throw new RealtimeError('INVALID_COLLECTION', INVALID_COLLECTION_MESSAGE);
    service.collection(ctx, collection);
    const view = await ctx.readView();
    if (view && !view.schema.collections[collection]) throw ForbiddenError.collection(collection);

    const key = uid ?? `\u0000${randomUUID()}`;
    const replacing = connection.subscriptions.has(key);
    if (!replacing && connection.subscriptions.size >= this.config.realtime.maxSubscriptions) {
      throw new RealtimeError(
        'LIMIT_EXCEEDED',
        `Too many subscriptions on this connection (the limit is ${this.config.realtime.maxSubscriptions}).`,
      );
    }

    if (resume !== null) {
      const [known] = await this.db.query<{ known: boolean; last: string | null }>(
        ...spread(compileChangeKnown(resume)),
      );
      if (!known?.known) {
        throw new RealtimeError(
          'EVENT_NOT_RETAINED',
          `Event "${resume}" is not in the change log (older than WEBSOCKETS_EVENT_RETENTION, or unknown): ` +
            'subscribe without "after" to start from the current state.',
        );
      }
    }

    const subscription: Subscription = {
      key,
      uid,
      connection,
      collection,
      query,
      event: event as Action | undefined,
      item: item as PrimaryKey | undefined,
      group: null,
      live: resume === null,
      resumedAt: resume === null ? null : BigInt(resume),
      ids: after !== undefined || this.config.realtime.eventIds,
      shown: null,
    };

    // Changes committed now that the feed has not delivered yet (usually none): the init read below shows them.
    if (resume === null) subscription.shown = await this.undelivered(collection);

    // The init reply: the current rows (no `event`), or nothing (`event` given, or a resume that replays instead).
    let init: Record<string, unknown> = { type: 'subscription', event: 'init' };
    if (event === undefined && resume === null) {
      // A singleton too is read by query (an array), as Directus's getItemsPayload does.
      const result =
        item !== undefined
          ? await service.readOne(ctx, collection, item, query)
          : await service.readByQuery(ctx, collection, query);
      init = { ...init, data: result.data };
      if (result.meta) init.meta = result.meta;
    }
    if (uid !== undefined) init.uid = uid;

    const previous = connection.subscriptions.get(key);
    if (previous) this.leave(previous);
    connection.subscriptions.set(key, subscription);
    await this.join(subscription);
    connection.send(init);
    if (resume !== null) await replay(() => this.replay(subscription, resume));
  }

  /**
   * The ids of `collection`'s changes that are committed but not yet delivered by the feed (it delivers in id order
   * and has settled every id before `settledAt`; `settledAt` itself may still be in delivery): a subscription made now
   * sees them in its init, so skips their events. A write still in progress is not among them, so its event comes.
   * Null when there are none.
   */
  private async undelivered(collection: string): Promise<Set<string> | null> {
    const from = BigInt(this.settledAt) > 0n ? String(BigInt(this.settledAt) - 1n) : '0';
    const rows = await this.db.query<ChangeRow>(...spread(compileChangesAfter(from, UNDELIVERED_MAX)));
    const ids = rows.filter((r) => r.collection === collection).map((r) => r.id);
    return ids.length ? new Set(ids) : null;
  }

  /** `{type:'unsubscribe', uid?}`: that subscription, or all of the connection's without a uid. */
  unsubscribe(connection: RealtimeConnection, uid: string | undefined): void {
    if (uid === undefined) {
      for (const s of connection.subscriptions.values()) this.leave(s);
      connection.subscriptions.clear();
    } else {
      const s = connection.subscriptions.get(uid);
      if (s) {
        this.leave(s);
        connection.subscriptions.delete(uid);
      }
    }
    connection.send(
      uid === undefined
        ? { type: 'subscription', event: 'unsubscribe' }
        : { type: 'subscription', event: 'unsubscribe', uid },
    );
  }

  /** A closed connection leaves every group. */
  drop(connection: RealtimeConnection): void {
    for (const s of connection.subscriptions.values()) this.leave(s);
    connection.subscriptions.clear();
  }

  /** The connection now acts as someone else (auth, re-auth, expiry): its subscriptions move to the right groups. */
  async regroup(connection: RealtimeConnection): Promise<void> {
    for (const s of connection.subscriptions.values()) {
      this.leave(s);
      await this.join(s);
    }
  }

  private async join(s: Subscription): Promise<void> {
    const accountability = s.connection.accountability;
    const key = `${s.collection}\u0000${s.item ?? ''}\u0000${JSON.stringify(s.query)}\u0000${await this.viewKey(accountability)}`;
    let group = this.groups.get(key);
    if (!group) {
      group = new Group(key, s.collection, s.query, s.item, accountability);
      this.groups.set(key, group);
      let set = this.byCollection.get(s.collection);
      if (!set) this.byCollection.set(s.collection, (set = new Set()));
      set.add(group);
    }
    group.members.add(s);
    s.group = group;
  }

  private leave(s: Subscription): void {
    const group = s.group;
    s.group = null;
    if (!group) return;
    group.members.delete(s);
    if (group.members.size > 0) return;
    this.groups.delete(group.key);
    const set = this.byCollection.get(group.collection);
    set?.delete(group);
    if (set?.size === 0) this.byCollection.delete(group.collection);
  }

  /**
   * Callers read alike when they are admins, or share their policies and the same resolved read view (item filters
   * and field cases with their $CURRENT_USER values filled in). A view that depends on the clock or on a record
   * (not `stable`) is never shared.
   */
  private async viewKey(accountability: Accountability): Promise<string> {
    if (accountability.admin) return 'admin';
    const view = await this.context(accountability).readView();
    if (!view || !view.stable) return randomUUID();
    try {
      return `${accountability.policies.join(',')}\u0000${JSON.stringify(view.access)}`;
    } catch {
      return randomUUID();
    }
  }

  // ---- delivery ---------------------------------------------------------------------------------------------------

  /** Delivers one change-log row to every group of its collection (called by the change feed, one row at a time). */
  async dispatch(change: ChangeRow): Promise<void> {
    const groups = this.byCollection.get(change.collection);
    if (!groups?.size) return;
    await this.deliver(change, [...groups], null);
  }

  private async deliver(change: ChangeRow, groups: Group[], replaying: Subscription | null): Promise<void> {
    const targets = groups.filter((g) => g.item === undefined || change.keys.some((k) => same(k, g.item!)));
    if (!targets.length) return;
    if (change.action === 'delete') {
      const wanting = targets.filter((g) => g.wants('delete'));
      const visible = await this.reads.visibleBefore(change, wanting, null);
      for (const [g, keys] of visible) this.sendDelete(change, g, keys, replaying);
      return;
    }
    const exits = new Map<Group, PrimaryKey[]>();
    await Promise.all(
      targets.map(async (g) => {
        const wantsEvent = g.wants(change.action);
        const wantsExit = change.action === 'update' && this.config.realtime.scopeExitEvents && g.wants('delete');
        if (!wantsEvent && !wantsExit) return;
        const read = await this.reads.read(g, change.keys);
        if (read.json !== null && wantsEvent) {
          if (change.action === 'create' && g.item === undefined && change.keys.length > 1) {
            // Directus emits one items.create per created item: one `create` message per row, each an array of one.
            const rows = read.rows ?? (JSON.parse(read.json) as unknown[]);
            for (const row of rows) this.send(change, g, 'create', `[${JSON.stringify(row)}]`, read.meta, replaying);
          } else this.send(change, g, change.action, read.json, read.meta, replaying);
        }
        if (wantsExit) {
          const missing = await this.reads.missing(g, change.keys, read);
          if (missing.length) exits.set(g, missing);
        }
      }),
    );
    if (exits.size) {
      const visible = await this.reads.visibleBefore(change, [...exits.keys()], exits);
      for (const [g, keys] of visible) this.sendDelete(change, g, keys, replaying);
    }
  }

  private sendDelete(change: ChangeRow, g: Group, keys: PrimaryKey[], replaying: Subscription | null): void {
    if (!keys.length) return;
    const data = g.item !== undefined ? JSON.stringify(g.item) : JSON.stringify(keys);
    this.send(change, g, 'delete', data, undefined, replaying);
  }

  /**
   * Queues one frame per group on the fan-out, its members' uids spliced in: `{type, event, data, meta?, uid?}`, and
   * `id` (the change-log id) for the members that asked for event ids.
   * Who gets it is decided now (live, not replayed, the event wanted); the fan-out skips a member that left since.
   */
  private send(
    change: ChangeRow,
    g: Group,
    event: Action,
    data: string,
    meta: unknown,
    replaying: Subscription | null,
  ): void {
    const head = `{"type":"subscription","event":"${event}","data":${data}${meta ? `,"meta":${JSON.stringify(meta)}` : ''}`;
    const plain: Subscription[] = [];
    const withIds: Subscription[] = [];
    let id: bigint | undefined;
    for (const s of g.members) {
      if (replaying ? s !== replaying : !s.live) continue;
      if (!replaying && s.resumedAt !== null && (id ??= BigInt(change.id)) <= s.resumedAt) continue;
      if (s.event && s.event !== event) continue;
      if (!replaying && s.shown?.has(change.id)) continue;
      (s.ids ? withIds : plain).push(s);
    }
    // Directus's message ends after the uid; the change-log id is the extension's, for the subscriptions that asked.
    if (plain.length) this.fanOut.push({ head, tail: '}', targets: plain });
    if (withIds.length) this.fanOut.push({ head, tail: `,"id":"${change.id}"}`, targets: withIds });
  }

  /** The change feed settled every id up to `id` (in id order: resumes replay up to it, then go live). */
  settled(id: string): void {
    this.settledAt = id;
  }

  /**
   * A resume: every change after `after` up to the feed's settled id, in id order, delivered to this subscription
   * alone (each read as it now reads), then live from the next id on. Runs on the change feed's queue, so no live event
   * is handled meanwhile.
   */
  private async replay(s: Subscription, after: string): Promise<void> {
    let cursor = after;
    try {
      for (;;) {
        const rows = await this.db.query<ChangeRow>(
          ...spread(compileChangesAfter(cursor, REPLAY_BATCH, this.settledAt)),
        );
        for (const row of rows) {
          if (row.collection !== s.collection || !s.group || s.connection.closed) continue;
          await this.deliver(row, [s.group], s);
        }
        if (rows.length < REPLAY_BATCH) break;
        cursor = rows[rows.length - 1].id;
      }
    } finally {
      s.live = true;
    }
  }
}

function spread(statement: { sql: string; params: readonly unknown[] }): [string, unknown[]] {
  return [statement.sql, [...statement.params]];
}

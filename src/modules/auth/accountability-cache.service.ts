import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Database } from '../../core/database/database.service';
import type { Accountability } from '../../core/context/accountability';
import { ACCESS_CHANNEL } from '../permissions/permissions.service';

const TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

type Identity = Omit<Accountability, 'ip' | 'userAgent' | 'origin'>;

/**
 * Token → identity (user, role tree, policies, admin/app) for a few seconds, so that a request costs no auth
 * queries once its token is known. Any change to users, roles, policies, access or permissions is announced on
 * `tessera_access` and clears every instance's cache; the TTL bounds staleness if a NOTIFY is ever missed.
 */
@Injectable()
export class AccountabilityCache implements OnApplicationBootstrap {
  private readonly entries = new Map<string, { identity: Identity; expires: number }>();

  constructor(private readonly db: Database) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.db.listen(ACCESS_CHANNEL, () => this.clear());
  }

  get(token: string): Identity | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expires < Date.now()) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.identity;
  }

  set(token: string, identity: Identity): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { identity, expires: Date.now() + TTL_MS });
  }

  clear(): void {
    this.entries.clear();
  }

  /** Called inside the transaction that changes access data: every instance clears on commit. */
  async announceChange(): Promise<void> {
    await this.db.notify(ACCESS_CHANNEL, 'changed');
    this.clear();
  }
}
